// Package webhooks tells other systems when something changes: subscriptions
// to change events, delivered in the background — signed with HMAC-SHA256,
// retried with exponential backoff, logged — and never to private, loopback
// or link-local addresses unless an admin allow-listed the host.
package webhooks

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/changes"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Webhook is a subscription.
type Webhook struct {
	ID        string    `json:"id" format:"uuid"`
	URL       string    `json:"url" example:"https://ärendesystem.angered.example/samverkan"`
	Events    []string  `json:"events" example:"partnership.created,partnership.updated"`
	Active    bool      `json:"active"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at" format:"date-time"`
	UpdatedAt time.Time `json:"updated_at" format:"date-time"`
	// Secret is shown when the webhook is created, and never again.
	Secret string `json:"secret,omitempty"`
} // @name Webhook

// ETagVersion is the version behind the webhook's ETag.
func (w Webhook) ETagVersion() int { return w.Version }

// Request creates a webhook, or with PATCH changes the fields sent.
type Request struct {
	// URL and Events are required when creating a webhook. URL is an
	// absolute https address (http only for allow-listed hosts).
	URL *string `json:"url" format:"uri" validate:"required,max=2000"`
	// Events are <type>.<created|updated|archived|*> or *.
	Events *[]string `json:"events" example:"partnership.created,allocation.*" validate:"required,min=1" maxLength:"29"`
	// Secret signs the deliveries: 16 to 200 bytes; generated when absent.
	Secret *string `json:"secret,omitempty" validate:"min=16,max=200"`
	Active *bool   `json:"active"`
} // @name WebhookRequest

// Delivery is one attempt log entry: an event owed to a webhook.
type Delivery struct {
	ID            string          `json:"id" format:"uuid"`
	WebhookID     string          `json:"webhook_id" format:"uuid"`
	Event         string          `json:"event" example:"partnership.updated"`
	Payload       json.RawMessage `json:"payload" swaggertype:"object"`
	Status        string          `json:"status" enums:"pending,delivered,failed"`
	Attempts      int             `json:"attempts"`
	NextAttemptAt time.Time       `json:"next_attempt_at" format:"date-time"`
	LastStatus    *int            `json:"last_status,omitempty"`
	LastError     string          `json:"last_error,omitempty"`
	CreatedAt     time.Time       `json:"created_at" format:"date-time"`
	DeliveredAt   *time.Time      `json:"delivered_at,omitempty" format:"date-time"`
} // @name WebhookDelivery

// TableName is the deliveries table.
func (Delivery) TableName() string { return "webhook_deliveries" }

// ETagVersion lets a delivery be answered with an ETag (its attempts).
func (d Delivery) ETagVersion() int { return d.Attempts + 1 }

type row struct {
	ID         string `gorm:"primaryKey;default:gen_random_uuid()"`
	TenantID   string `gorm:"->"`
	URL        string
	Events     database.Strings `gorm:"type:text[]"`
	Secret     string
	Active     bool
	Version    int `gorm:"default:1"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time
}

func (row) TableName() string { return "webhooks" }

func toWebhook(r row) Webhook {
	return Webhook{ID: r.ID, URL: r.URL, Events: []string(r.Events), Active: r.Active, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// Options tune delivery.
type Options struct {
	AllowHosts  []string      // hosts that may be plain http or resolve to private addresses
	RetryBase   time.Duration // first retry after this, doubling (default 30s)
	MaxAttempts int           // then the delivery fails (default 8)
	Timeout     time.Duration // per attempt (default 10s)
}

// Service keeps webhooks and delivers to them.
type Service struct {
	db     *gorm.DB
	feed   *changes.Service
	opt    Options
	client *http.Client
	log    *slog.Logger
}

// NewService returns the webhook service.
func NewService(db *gorm.DB, feed *changes.Service, opt Options, log *slog.Logger) *Service {
	if opt.RetryBase <= 0 {
		opt.RetryBase = 30 * time.Second
	}
	if opt.MaxAttempts <= 0 {
		opt.MaxAttempts = 8
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 10 * time.Second
	}
	s := &Service{db: db, feed: feed, opt: opt, log: log}
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: s.refusePrivate}
	s.client = &http.Client{
		Timeout:   opt.Timeout,
		Transport: &http.Transport{DialContext: dialer.DialContext, Proxy: nil, TLSHandshakeTimeout: 5 * time.Second},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // a redirect could lead anywhere
		},
	}
	return s
}

func (s *Service) allowed(host string) bool {
	return slices.Contains(s.opt.AllowHosts, strings.ToLower(host))
}

// refusePrivate stops a connection to a private, loopback, link-local or
// otherwise internal address at dial time (after DNS, so a name that
// resolves inward is caught too), unless the address is allow-listed.
func (s *Service) refusePrivate(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if s.allowed(host) {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || internal(ip) {
		return fmt.Errorf("webhook address %s is internal and not allow-listed", host)
	}
	return nil
}

func internal(ip net.IP) bool {
	return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsUnspecified() ||
		ip.IsMulticast() || ip.IsInterfaceLocalMulticast() || (ip.To4() != nil && ip.To4()[0] == 100 && ip.To4()[1]&0xc0 == 64) // 100.64/10
}

// checkURL refuses what a webhook may not call: other schemes than https
// (http only for allow-listed hosts), credentials in the URL, and internal
// addresses or names.
func (s *Service) checkURL(f *problem.Fields, raw string) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || len(raw) > 2000 {
		f.Add("url", "invalid_url", "must be an absolute https URL")
		return
	}
	host := strings.ToLower(u.Hostname())
	switch {
	case u.Scheme != "https" && !(u.Scheme == "http" && s.allowed(host)):
		f.Add("url", "scheme_not_allowed", "must be https (http only for allow-listed hosts)")
	case u.User != nil:
		f.Add("url", "credentials_in_url", "must not carry a user or password; the secret signs the deliveries")
	case s.allowed(host):
	case host == "localhost" || strings.HasSuffix(host, ".localhost") || strings.HasSuffix(host, ".internal") || strings.HasSuffix(host, ".local"):
		f.Add("url", "internal_address", "must not point at this machine or an internal network")
	default:
		if ip := net.ParseIP(host); ip != nil && internal(ip) {
			f.Add("url", "internal_address", "must not point at a private, loopback or link-local address")
		}
	}
}

func checkEvents(f *problem.Fields, events []string) {
	if len(events) == 0 {
		f.Add("events", "required", "name at least one event, e.g. partnership.created, allocation.* or *")
	}
	for _, e := range events {
		t, a, _ := strings.Cut(e, ".")
		if e == "*" {
			continue
		}
		if !slices.Contains(changes.Types(), t) || !slices.Contains([]string{"*", "created", "updated", "archived"}, a) {
			f.Add("events", "unknown_event", "events are <type>.<created|updated|archived|*> or *; types: "+strings.Join(changes.Types(), ", "))
			return
		}
	}
}

// List lists the tenant's webhooks.
func (s *Service) List(ctx context.Context) ([]Webhook, error) {
	var rows []row
	if err := s.db.WithContext(ctx).Where("archived_at IS NULL").Where(database.OfTenant(ctx, "tenant_id")).Order("created_at").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Webhook, len(rows))
	for i, r := range rows {
		out[i] = toWebhook(r)
	}
	return out, nil
}

func (s *Service) get(ctx context.Context, tx *gorm.DB, id string) (row, error) {
	var r row
	if !problem.IsUUID(id) {
		return r, problem.NotFound("webhook")
	}
	err := tx.WithContext(ctx).Where("id = ? AND archived_at IS NULL", id).Where(database.OfTenant(ctx, "tenant_id")).Take(&r).Error
	if database.IsNotFound(err) {
		return r, problem.NotFound("webhook")
	}
	return r, err
}

// Get returns one webhook.
func (s *Service) Get(ctx context.Context, id string) (Webhook, error) {
	r, err := s.get(ctx, s.db, id)
	return toWebhook(r), err
}

// Save creates a webhook (id "") or changes the fields sent. A new webhook
// without a secret gets a generated one, shown in the answer this once.
func (s *Service) Save(ctx context.Context, p auth.Principal, id string, version int, req Request) (Webhook, error) {
	var out Webhook
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		r := row{Active: true}
		if id != "" {
			var err error
			if r, err = s.get(ctx, tx, id); err != nil {
				return err
			}
		}
		values := map[string]any{}
		var f problem.Fields
		if req.URL != nil {
			r.URL, values["url"] = *req.URL, *req.URL
		}
		if req.Events != nil {
			r.Events, values["events"] = *req.Events, database.Strings(*req.Events)
		}
		if req.Active != nil {
			r.Active, values["active"] = *req.Active, *req.Active
		}
		shown := ""
		if req.Secret != nil {
			r.Secret, values["secret"], shown = *req.Secret, *req.Secret, *req.Secret
			if n := utf8.RuneCountInString(*req.Secret); n < 16 || n > 200 { // characters, as the contract counts
				f.Add("secret", "weak_secret", "must be 16 to 200 characters")
			}
		} else if id == "" {
			b := make([]byte, 24)
			_, _ = rand.Read(b)
			r.Secret = hex.EncodeToString(b)
			shown = r.Secret
		}
		s.checkURL(&f, r.URL)
		checkEvents(&f, r.Events)
		if err := f.Err(); err != nil {
			return err
		}
		err := audit.Save(ctx, tx, &out, audit.Change[Webhook]{
			Table: "webhooks", Entity: "webhook", ID: id, Version: version, Row: &r, Values: values,
			Load: func(id string) (Webhook, error) {
				r, err := s.get(ctx, tx, id)
				return toWebhook(r), err
			},
			Event: audit.Event{Actor: p.Actor(), Action: "webhook.save", EntityType: "webhook"},
		})
		out.Secret = shown // in the answer, never in the trail
		return err
	})
	return out, err
}

// Archive stops and removes a webhook; its delivery log stays.
func (s *Service) Archive(ctx context.Context, p auth.Principal, id string, version int) error {
	return database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		if _, err := s.get(ctx, tx, id); err != nil { // another tenant's is not there
			return err
		}
		return audit.Save(ctx, tx, nil, audit.Change[any]{
			Table: "webhooks", Entity: "webhook", ID: id, Version: version, Values: map[string]any{"archived_at": gorm.Expr("now()"), "active": false},
			Event: audit.Event{Actor: p.Actor(), Action: "webhook.archive", EntityType: "webhook"},
		})
	})
}

// Deliveries lists a webhook's delivery log, newest first.
func (s *Service) Deliveries(ctx context.Context, id string) ([]Delivery, error) {
	if _, err := s.get(ctx, s.db, id); err != nil {
		return nil, err
	}
	out := []Delivery{}
	err := s.db.WithContext(ctx).Where("webhook_id = ?", id).Order("created_at DESC, id").Limit(500).Find(&out).Error
	return out, err
}

// Redeliver queues a delivery again, now.
func (s *Service) Redeliver(ctx context.Context, p auth.Principal, id, deliveryID string) (Delivery, error) {
	var d Delivery
	if !problem.IsUUID(deliveryID) {
		return d, problem.NotFound("delivery")
	}
	res := s.db.WithContext(ctx).Model(&Delivery{}).Where("id = ? AND webhook_id = ?", deliveryID, id).Where(database.OfTenant(ctx, "tenant_id")).
		Updates(map[string]any{"status": "pending", "next_attempt_at": gorm.Expr("now()"), "attempts": 0})
	if res.Error != nil {
		return d, res.Error
	}
	if res.RowsAffected == 0 {
		return d, problem.NotFound("delivery")
	}
	err := s.db.WithContext(ctx).Where("id = ?", deliveryID).Take(&d).Error
	return d, err
}

// matches reports whether a subscription's events cover event.
func matches(events []string, event string) bool {
	t, _, _ := strings.Cut(event, ".")
	return slices.Contains(events, "*") || slices.Contains(events, event) || slices.Contains(events, t+".*")
}

// Dispatch reads the change feed from where it last stopped and queues a
// delivery per matching webhook, in one transaction; the cursor row's lock
// makes one replica dispatch at a time.
//
// It reads every tenant's feed (the platform's scope) and gives each
// change only to the hooks of the change's own tenant.
func (s *Service) Dispatch(ctx context.Context) (int, error) {
	queued := 0
	err := database.Within(ctx, s.db, database.PlatformScope, func(ctx context.Context) error {
		return s.dispatch(ctx, &queued)
	})
	return queued, err
}

func (s *Service) dispatch(ctx context.Context, queued *int) error {
	return database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		var cur struct {
			Xid     string
			EventID int64
		}
		if err := tx.Raw("SELECT xid::text AS xid, event_id FROM webhook_cursor FOR UPDATE").Scan(&cur).Error; err != nil {
			return err
		}
		if cur.Xid == "" { // first run: follow from now on
			head, err := s.feed.Head(ctx)
			if err != nil {
				return err
			}
			xid, id, err := changes.ParseCursor(head)
			if err != nil {
				return err
			}
			return tx.Exec("INSERT INTO webhook_cursor (xid, event_id) VALUES (?::xid8, ?) ON CONFLICT DO NOTHING", xid, id).Error
		}
		var hooks []row
		if err := tx.Where("archived_at IS NULL AND active").Find(&hooks).Error; err != nil {
			return err
		}
		page, err := changes.NewService(tx).Read(ctx, auth.System, changes.Cursor(cur.Xid, cur.EventID), nil, 500)
		if err != nil {
			return err
		}
		for _, c := range page.Items {
			event := c.Type + "." + c.Action
			payload, _ := json.Marshal(map[string]any{"event": event, "type": c.Type, "id": c.ID, "version": c.Version, "changed_at": c.ChangedAt})
			for _, h := range hooks {
				if h.TenantID == c.Tenant && matches(h.Events, event) {
					if err := tx.Exec("INSERT INTO webhook_deliveries (webhook_id, event, payload, tenant_id) VALUES (?, ?, ?, ?)", h.ID, event, payload, h.TenantID).Error; err != nil {
						return err
					}
					*queued++
				}
			}
		}
		xid, id, err := changes.ParseCursor(page.NextCursor)
		if err != nil {
			return err
		}
		return tx.Exec("UPDATE webhook_cursor SET xid = ?::xid8, event_id = ?", xid, id).Error
	})
}

// Deliver sends the deliveries that are due, each in its own transaction
// (SKIP LOCKED lets several replicas share the work).
func (s *Service) Deliver(ctx context.Context) (int, error) {
	sent := 0
	err := database.Within(ctx, s.db, database.PlatformScope, func(ctx context.Context) error {
		var err error
		sent, err = s.deliver(ctx)
		return err
	})
	return sent, err
}

func (s *Service) deliver(ctx context.Context) (int, error) {
	sent := 0
	for i := 0; i < 50; i++ {
		var done bool
		err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
			var d struct {
				Delivery
				URL    string
				Secret string
			}
			err := tx.Raw(`SELECT d.*, w.url, w.secret FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
				WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND w.active AND w.archived_at IS NULL
				ORDER BY d.next_attempt_at LIMIT 1 FOR UPDATE OF d SKIP LOCKED`).Scan(&d).Error
			if err != nil || d.ID == "" {
				done = true
				return err
			}
			status, sendErr := s.send(ctx, d.URL, d.Secret, d.ID, d.Event, d.Payload)
			attempts := d.Attempts + 1
			switch {
			case sendErr == nil && status >= 200 && status < 300:
				sent++
				return tx.Exec(`UPDATE webhook_deliveries SET status = 'delivered', attempts = ?, last_status = ?, last_error = '', delivered_at = now() WHERE id = ?`,
					attempts, status, d.ID).Error
			default:
				msg := "HTTP " + strconv.Itoa(status)
				if sendErr != nil {
					msg = sendErr.Error()
				}
				next := "pending"
				if attempts >= s.opt.MaxAttempts {
					next = "failed"
				}
				wait := s.opt.RetryBase << (attempts - 1)
				return tx.Exec(`UPDATE webhook_deliveries SET status = ?, attempts = ?, last_status = nullif(?, 0), last_error = ?,
					next_attempt_at = now() + ?::interval WHERE id = ?`, next, attempts, status, msg, wait.String(), d.ID).Error
			}
		})
		if err != nil || done {
			return sent, err
		}
	}
	return sent, nil
}

// send posts one delivery, signed: Samverkan-Signature: t=<unix>,v1=<hex
// HMAC-SHA256 of "<t>.<body>" with the webhook's secret>.
func (s *Service) send(ctx context.Context, target, secret, id, event string, body []byte) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Samverkan-Webhooks/1")
	req.Header.Set("Samverkan-Event", event)
	req.Header.Set("Samverkan-Delivery", id)
	req.Header.Set("Samverkan-Signature", "t="+ts+",v1="+Sign(secret, ts, body))
	res, err := s.client.Do(req)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) {
			return 0, op
		}
		return 0, err
	}
	defer res.Body.Close()
	return res.StatusCode, nil
}

// Sign is the signature of a delivery body at a timestamp; receivers compute
// it again and compare in constant time.
func Sign(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp + "."))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// Run dispatches and delivers every interval until ctx ends.
func (s *Service) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.Dispatch(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("webhook dispatch", "err", err)
		}
		if _, err := s.Deliver(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("webhook delivery", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
