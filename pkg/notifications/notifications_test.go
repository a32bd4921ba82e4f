package notifications_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/evaluation"
	"github.com/samverkan/samverkan/pkg/notifications"
	"github.com/samverkan/samverkan/pkg/partnerships"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// inbox is a real SMTP server on loopback that keeps what it receives and
// refuses the first `refuse` messages with a temporary error.
type inbox struct {
	mu     sync.Mutex
	got    []*mail.Message
	to     []string
	refuse int
}

func (b *inbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{b: b}, nil }

type session struct {
	b  *inbox
	to string
}

func (s *session) Reset()                                    {}
func (s *session) Logout() error                             { return nil }
func (s *session) Mail(string, *smtp.MailOptions) error      { return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = to; return nil }
func (s *session) Data(r io.Reader) error {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	if s.b.refuse > 0 {
		s.b.refuse--
		_, _ = io.Copy(io.Discard, r)
		return &smtp.SMTPError{Code: 451, Message: "try again later"}
	}
	m, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	s.b.got, s.b.to = append(s.b.got, m), append(s.b.to, s.to)
	return nil
}

func (b *inbox) received() ([]*mail.Message, []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]*mail.Message{}, b.got...), append([]string{}, b.to...)
}

func startSMTP(t *testing.T, b *inbox) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := smtp.NewServer(b)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			t.Log(err)
		}
	}()
	t.Cleanup(func() { srv.Close() })
	return "smtp://" + l.Addr().String() + "?tls=none&from=Samverkan%20%3Cnoreply@samverkan.test%3E"
}

func TestRemindersAreMadeOnceAndMailedOnce(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	editor, editorToken := env.NewUser(auth.RoleEditor)
	lundby, lundbyToken := env.NewUser(auth.RoleDistrictEditor, apptest.InDistricts(env.Districts["Lundby"]))
	angered, _ := env.NewUser(auth.RoleDistrictEditor, apptest.InDistricts(env.Districts["Angered"]))
	viewer, viewerToken := env.NewUser(auth.RoleViewer)

	today := time.Now().UTC()
	day := func(d int) string { return today.AddDate(0, 0, d).Format(time.DateOnly) }
	var pt partnerships.Response
	res := env.Do("POST", "/api/v1/partnerships", editorToken, partnerships.NewRequest{Title: "Idésluss – volontärsluss", Form: "network", Status: "active",
		MunicipalityCode: "1480", DistrictIDs: []string{env.Districts["Lundby"]}, StartDate: day(-300), EndDate: day(30)})
	res.JSON(t, &pt)
	if res.Code != 201 {
		t.Fatalf("partnership: %d %s", res.Code, res.Body)
	}
	if r := env.Do("POST", "/api/v1/partnerships/"+pt.ID+"/follow-ups", editorToken, evaluation.FollowUpRequest{DueOn: ptr(day(3)), Description: ptr("Halvårsuppföljning")}); r.Code != 201 {
		t.Fatalf("follow-up: %d %s", r.Code, r.Body)
	}
	var ind evaluation.Indicator
	env.Do("POST", "/api/v1/partnerships/"+pt.ID+"/indicators", editorToken, evaluation.IndicatorRequest{Name: ptr("Matchade volontärer"), Unit: ptr("personer"),
		ResultLevel: ptr("output")}).JSON(t, &ind)
	twelve := 12.0
	if r := env.Do("POST", "/api/v1/indicators/"+ind.ID+"/measurements", editorToken, evaluation.MeasurementRequest{PeriodStart: day(-60), PeriodEnd: day(-1), Value: &twelve}); r.Code != 201 {
		t.Fatalf("measurement: %d %s", r.Code, r.Body)
	}
	// The Lundby editor does not want to hear of partnerships ending.
	if r := env.Do("PUT", "/api/v1/notification-preferences", lundbyToken, map[string]bool{"partnership_ending": false}); r.Code != 200 {
		t.Fatalf("preferences: %d %s", r.Code, r.Body)
	}

	b := &inbox{refuse: 1}
	mailer, err := notifications.NewSMTP(startSMTP(t, b))
	if err != nil {
		t.Fatal(err)
	}
	svc := notifications.NewService(env.DB, mailer, notifications.Options{RetryBase: time.Millisecond, PublicBaseURL: "https://samverkan.test"}, slog.New(slog.DiscardHandler))
	if _, err := svc.Scan(ctx); err != nil {
		t.Fatal(err)
	}
	count := func(userID string) (n int) {
		env.Owner().Raw("SELECT count(*) FROM notifications WHERE user_id = ? AND link LIKE '%' || ? || '%' OR user_id = ? AND kind = 'measurement_pending' AND body LIKE '%' || ? || '%'",
			userID, pt.ID, userID, pt.Reference).Scan(&n)
		return n
	}
	if got := count(editor.ID); got != 3 {
		t.Errorf("the editor has %d reminders of this partnership, want follow-up, measurement and ending", got)
	}
	if got := count(lundby.ID); got != 2 {
		t.Errorf("the Lundby editor has %d, want 2 (ending turned off)", got)
	}
	if count(angered.ID) != 0 || count(viewer.ID) != 0 {
		t.Error("Angered's editor or a viewer was reminded of Lundby's partnership")
	}
	if n, err := svc.Scan(ctx); err != nil || n != 0 {
		t.Errorf("a second scan made %d new (%v)", n, err)
	}

	// Deliver everything due; the server refuses the first message once.
	var pending int
	env.Owner().Raw("SELECT count(*) FROM notifications WHERE email_status = 'pending'").Scan(&pending)
	if _, err := svc.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	if _, err := svc.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	got, to := b.received()
	if len(got) != pending {
		t.Fatalf("received %d e-mails, %d were pending", len(got), pending)
	}
	if n, _ := svc.Deliver(ctx); n != 0 {
		t.Errorf("%d sent twice", n)
	}
	var retried int
	env.Owner().Raw("SELECT count(*) FROM notifications WHERE attempts = 2 AND email_status = 'sent'").Scan(&retried)
	if retried != 1 {
		t.Errorf("%d notifications were retried, want 1", retried)
	}
	var mine *mail.Message
	for i, m := range got {
		subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
		if to[i] == editor.Email && strings.HasPrefix(subject, "Samverkan löper ut") && strings.Contains(subject, "volontärsluss") {
			mine = m
		}
	}
	if mine == nil {
		t.Fatal("the editor got no e-mail about the partnership ending")
	}
	body, _ := io.ReadAll(quotedprintable.NewReader(mine.Body))
	from, _ := mail.ParseAddress(mine.Header.Get("From"))
	if !strings.Contains(string(body), "https://samverkan.test/partnerships/"+pt.ID) || !strings.Contains(string(body), "Dags att besluta om förlängning") ||
		from == nil || from.Address != "noreply@samverkan.test" {
		t.Errorf("e-mail: %s\n%s", mine.Header, body)
	}

	// The list, read and unread.
	var list notifications.List
	env.Do("GET", "/api/v1/notifications?unread=true", lundbyToken, nil).JSON(t, &list)
	if list.Unread < 2 || len(list.Items) != list.Unread {
		t.Fatalf("Lundby's list: %+v", list)
	}
	if r := env.Do("POST", "/api/v1/notifications/"+list.Items[0].ID+"/read", lundbyToken, nil); r.Code != 200 {
		t.Errorf("read: %d %s", r.Code, r.Body)
	}
	if r := env.Do("POST", "/api/v1/notifications/"+list.Items[1].ID+"/read", viewerToken, nil); r.Code != 404 {
		t.Errorf("someone else's notification: %d", r.Code)
	}
	var after notifications.List
	env.Do("GET", "/api/v1/notifications", lundbyToken, nil).JSON(t, &after)
	if after.Unread != list.Unread-1 {
		t.Errorf("unread %d after reading one of %d", after.Unread, list.Unread)
	}
	if r := env.Do("POST", "/api/v1/notifications/read", lundbyToken, nil); r.Code != 204 {
		t.Errorf("read all: %d", r.Code)
	}
}

func TestNotificationRequestsAreChecked(t *testing.T) {
	env := apptest.New(t)
	_, token := env.NewUser(auth.RoleViewer)
	var prefs notifications.PreferenceList
	env.Do("GET", "/api/v1/notification-preferences", token, nil).JSON(t, &prefs)
	if len(prefs.Items) != 4 || !prefs.Items[0].Enabled {
		t.Errorf("preferences: %+v", prefs)
	}
	if r := env.Do("PUT", "/api/v1/notification-preferences", token, map[string]bool{"birthdays": true}); r.Code != 422 {
		t.Errorf("an unknown kind: %d", r.Code)
	}
	if r := env.Do("PUT", "/api/v1/notification-preferences", token, map[string]string{"follow_up_due": "ja"}); r.Code != 400 {
		t.Errorf("not a boolean: %d", r.Code)
	}
	for _, q := range []string{"unread=kanske", "limit=0", "limit=9999", "page=2"} {
		if r := env.Do("GET", "/api/v1/notifications?"+q, token, nil); r.Code != 400 {
			t.Errorf("%s: %d", q, r.Code)
		}
	}
	if r := env.Do("POST", "/api/v1/notifications/nej/read", token, nil); r.Code != 404 {
		t.Errorf("not an id: %d", r.Code)
	}
	_, _, client := env.NewClient([]string{auth.ScopeReportsRead})
	if r := env.Do("GET", "/api/v1/notifications", client, nil); r.Code != 403 {
		t.Errorf("an API client: %d", r.Code)
	}
	if r := env.Do("GET", "/api/v1/notifications", "", nil); r.Code != 401 {
		t.Errorf("anonymous: %d", r.Code)
	}
	for _, bad := range []string{"http://mail.example.com", "smtp://", "smtp://u:p@mail.example.com?tls=none", "smtp://mail.example.com?tls=maybe", "smtp://mail.example.com?from=nobody"} {
		if _, err := notifications.NewSMTP(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func ptr(s string) *string { return &s }
