package webhooks_test

import (
	"context"
	"crypto/hmac"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/changes"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/platform/config"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
	"github.com/samverkan/samverkan/pkg/webhooks"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

type receiver struct {
	mu     sync.Mutex
	bodies []string
	sigs   []string
	fail   int // answer 500 this many times first
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail > 0 {
		r.fail--
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	b, _ := io.ReadAll(req.Body)
	r.bodies = append(r.bodies, string(b))
	r.sigs = append(r.sigs, req.Header.Get("Samverkan-Signature"))
	w.WriteHeader(http.StatusNoContent)
}

func TestDeliveriesAreSignedRetriedAndLogged(t *testing.T) {
	env := apptest.New(t, func(c *config.Config) { c.WebhookAllowHosts = []string{"127.0.0.1"} })
	_, admin := env.NewUser(auth.RoleAdmin)
	_, editor := env.NewUser(auth.RoleEditor)
	rec := &receiver{fail: 1}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	svc := webhooks.NewService(env.DB, changes.NewService(env.DB), webhooks.Options{AllowHosts: []string{"127.0.0.1"}, RetryBase: time.Second}, nil)
	ctx := context.Background()
	if _, err := svc.Dispatch(ctx); err != nil { // the first run starts the cursor at now
		t.Fatal(err)
	}

	var hook webhooks.Webhook
	res := env.Do("POST", "/api/v1/webhooks", admin, map[string]any{"url": srv.URL + "/hook", "events": []string{"organisation.*"}, "secret": "a-long-shared-secret"})
	res.JSON(t, &hook)
	if res.Code != 201 || hook.Secret != "a-long-shared-secret" {
		t.Fatalf("create: %d %s", res.Code, res.Body)
	}
	if g := env.Do("GET", "/api/v1/webhooks/"+hook.ID, admin, nil); strings.Contains(string(g.Body), "a-long-shared-secret") {
		t.Fatal("the secret is shown again")
	}
	if r := env.Do("GET", "/api/v1/webhooks", editor, nil); r.Code != 403 {
		t.Fatalf("an editor manages webhooks: %d", r.Code)
	}

	var o organisations.Response
	env.Do("POST", "/api/v1/organisations", editor, organisations.NewRequest{Name: "Kroken", Sector: "civil_society", LegalForm: "ovrig"}).JSON(t, &o)
	// The feed shows a change once every older transaction of the server has
	// finished (other test packages share it), so give it a moment.
	n, err := 0, error(nil)
	for deadline := time.Now().Add(10 * time.Second); n == 0 && err == nil && time.Now().Before(deadline); {
		if n, err = svc.Dispatch(ctx); n == 0 {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if err != nil || n != 1 {
		t.Fatalf("dispatch: %d %v", n, err)
	}
	// The receiver fails the first time; the retry is due a second later,
	// longer than a loaded machine takes to come round to it in this call.
	if sent, _ := svc.Deliver(ctx); sent != 0 {
		t.Fatalf("first attempt: %d sent", sent)
	}
	time.Sleep(1100 * time.Millisecond)
	if sent, err := svc.Deliver(ctx); sent != 1 || err != nil {
		t.Fatalf("retry: %d %v", sent, err)
	}
	if len(rec.bodies) != 1 || !strings.Contains(rec.bodies[0], o.ID) || !strings.Contains(rec.bodies[0], `"organisation.created"`) {
		t.Fatalf("received %v", rec.bodies)
	}
	// The receiver checks the signature with the shared secret.
	parts := strings.Split(rec.sigs[0], ",")
	ts, sig := strings.TrimPrefix(parts[0], "t="), strings.TrimPrefix(parts[1], "v1=")
	if !hmac.Equal([]byte(sig), []byte(webhooks.Sign("a-long-shared-secret", ts, []byte(rec.bodies[0])))) {
		t.Fatal("the signature does not verify")
	}
	var log webhooks.DeliveryList
	env.Do("GET", "/api/v1/webhooks/"+hook.ID+"/deliveries", admin, nil).JSON(t, &log)
	if len(log.Items) != 1 || log.Items[0].Status != "delivered" || log.Items[0].Attempts != 2 {
		t.Fatalf("log %+v", log.Items)
	}
	if r := env.Do("POST", "/api/v1/webhooks/"+hook.ID+"/deliveries/"+log.Items[0].ID+"/redeliver", admin, nil); r.Code != 200 {
		t.Fatalf("redeliver: %d", r.Code)
	}
	if sent, _ := svc.Deliver(ctx); sent != 1 || len(rec.bodies) != 2 {
		t.Fatalf("redelivered: %d, bodies %d", sent, len(rec.bodies))
	}
}

func TestWebhookURLsThatCouldReachInsideAreRefused(t *testing.T) {
	env := apptest.New(t)
	_, admin := env.NewUser(auth.RoleAdmin)
	for _, u := range []string{
		"http://example.com/hook",        // not https
		"https://127.0.0.1/hook",         // loopback
		"https://[::1]/hook",             // loopback, IPv6
		"https://169.254.169.254/latest", // link-local (cloud metadata)
		"https://10.1.2.3/hook",          // private
		"https://192.168.0.10/hook",      // private
		"https://localhost/hook",         // this machine by name
		"file:///etc/passwd",             // not http at all
		"https://user:pass@example.com/", // credentials
		"gopher://example.com/",          // another scheme
	} {
		res := env.Do("POST", "/api/v1/webhooks", admin, map[string]any{"url": u, "events": []string{"*"}})
		if res.Code != 422 {
			t.Errorf("%s: %d", u, res.Code)
		}
	}
	if res := env.Do("POST", "/api/v1/webhooks", admin, map[string]any{"url": "https://example.com/hook", "events": []string{"users.*"}}); res.Code != 422 {
		t.Errorf("unknown event: %d", res.Code)
	}
	// Whatever got past the check (a name that resolves inward) is stopped
	// when dialling: here a row written around the API.
	rec := &receiver{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	var id string
	env.Owner().Raw("INSERT INTO webhooks (url, events, secret, tenant_id) VALUES (?, '{*}', 'secret-secret-secret', ?) RETURNING id", srv.URL, env.Tenant).Scan(&id)
	env.Owner().Exec("INSERT INTO webhook_deliveries (webhook_id, event, payload, tenant_id) VALUES (?, 'organisation.created', '{}', ?)", id, env.Tenant)
	svc := webhooks.NewService(env.DB, changes.NewService(env.DB), webhooks.Options{RetryBase: time.Hour}, nil)
	if sent, err := svc.Deliver(context.Background()); sent != 0 || err != nil {
		t.Fatalf("delivered to loopback: %d %v", sent, err)
	}
	var lastError string
	env.Owner().Raw("SELECT last_error FROM webhook_deliveries WHERE webhook_id = ?", id).Scan(&lastError)
	if len(rec.bodies) != 0 || !strings.Contains(lastError, "internal") {
		t.Fatalf("loopback reached (%d) or not logged: %q", len(rec.bodies), lastError)
	}
}
