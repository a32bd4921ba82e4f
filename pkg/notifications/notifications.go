// Package notifications reminds people of what must not be forgotten: due
// follow-ups, measurements waiting for approval, partnerships about to end
// and overdue action-plan activities. A scan turns the state of the register
// into notifications, at most one per user and event; each is listed for its
// user and sent by e-mail in the background, retried, and never twice.
package notifications

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Kind is a kind of reminder, which each user can turn off.
type Kind struct {
	Code    string `json:"kind" example:"follow_up_due"`
	LabelSV string `json:"label_sv" example:"Uppföljningar som snart ska vara klara eller är försenade"`
}

// Kinds are the reminders there are.
var Kinds = []Kind{
	{"follow_up_due", "Uppföljningar som snart ska vara klara eller är försenade"},
	{"measurement_pending", "Mätvärden som väntar på godkännande"},
	{"partnership_ending", "Samverkan som snart löper ut"},
	{"activity_overdue", "Försenade aktiviteter i handlingsplaner"},
}

// Notification is one reminder to one person.
type Notification struct {
	ID          string     `json:"id" format:"uuid"`
	Kind        string     `json:"kind" enums:"follow_up_due,measurement_pending,partnership_ending,activity_overdue"`
	Subject     string     `json:"subject" example:"Uppföljning försenad: Friskvårdsklubben i Göteborg"`
	Body        string     `json:"body"`
	Link        string     `json:"link,omitempty" example:"/partnerships/1b6c…"`
	CreatedAt   time.Time  `json:"created_at" format:"date-time"`
	ReadAt      *time.Time `json:"read_at,omitempty" format:"date-time"`
	EmailStatus string     `json:"email_status" enums:"pending,sent,logged,failed"`
} // @name Notification

// ETagVersion is 1 until read, then 2.
func (n Notification) ETagVersion() int {
	if n.ReadAt != nil {
		return 2
	}
	return 1
}

// Preference is whether a user gets one kind of reminder.
type Preference struct {
	Kind
	Enabled bool `json:"enabled"`
} // @name NotificationPreference

// Options tune the reminders and their delivery.
type Options struct {
	EndingDays    int           // remind of partnerships ending within this many days
	FollowUpDays  int           // remind of follow-ups due within this many days
	MaxAttempts   int           // e-mail attempts before giving up
	RetryBase     time.Duration // the first wait between attempts; doubled each time
	ScanEvery     time.Duration // how often Run looks for new reminders
	DeliverEvery  time.Duration // how often Run sends what is due
	PublicBaseURL string        // prefixes links in e-mails, e.g. https://samverkan.goteborg.se
}

func (o Options) withDefaults() Options {
	if o.EndingDays == 0 {
		o.EndingDays = 90
	}
	if o.FollowUpDays == 0 {
		o.FollowUpDays = 7
	}
	if o.MaxAttempts == 0 {
		o.MaxAttempts = 6
	}
	if o.RetryBase == 0 {
		o.RetryBase = time.Minute
	}
	if o.ScanEvery == 0 {
		o.ScanEvery = time.Hour
	}
	if o.DeliverEvery == 0 {
		o.DeliverEvery = 30 * time.Second
	}
	return o
}

// Service keeps notifications and preferences, scans and delivers.
type Service struct {
	db     *gorm.DB
	mailer Mailer // nil: e-mails are only logged
	opt    Options
	log    *slog.Logger
}

// NewService returns the notification service. A nil mailer logs e-mails
// instead of sending them.
func NewService(db *gorm.DB, mailer Mailer, opt Options, log *slog.Logger) *Service {
	return &Service{db: db, mailer: mailer, opt: opt.withDefaults(), log: log}
}

// person is the user behind p; machines have no notifications.
func person(p auth.Principal) (string, error) {
	if p.Kind != auth.KindUser {
		return "", problem.Forbidden("notifications are for people signed in, not API clients")
	}
	return p.ID, nil
}

// List gives p's notifications, newest first (unread only, if asked), and
// how many are unread.
func (s *Service) List(ctx context.Context, p auth.Principal, unreadOnly bool, limit int) ([]Notification, int, error) {
	user, err := person(p)
	if err != nil {
		return nil, 0, err
	}
	q := s.db.WithContext(ctx).Table("notifications").Where("user_id = ?", user)
	if unreadOnly {
		q = q.Where("read_at IS NULL")
	}
	out := []Notification{}
	if err := q.Select("id, kind, subject, body, link, created_at, read_at, email_status").Order("created_at DESC, id").Limit(limit).Scan(&out).Error; err != nil {
		return nil, 0, err
	}
	var unread int64
	err = s.db.WithContext(ctx).Table("notifications").Where("user_id = ? AND read_at IS NULL", user).Count(&unread).Error
	return out, int(unread), err
}

// MarkRead marks one of p's notifications read.
func (s *Service) MarkRead(ctx context.Context, p auth.Principal, id string) (Notification, error) {
	user, err := person(p)
	if err != nil {
		return Notification{}, err
	}
	var out Notification
	if !problem.IsUUID(id) {
		return out, problem.NotFound("notification")
	}
	res := s.db.WithContext(ctx).Raw(`UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE id = ? AND user_id = ?
		RETURNING id, kind, subject, body, link, created_at, read_at, email_status`, id, user).Scan(&out)
	if res.Error != nil {
		return out, res.Error
	}
	if res.RowsAffected == 0 {
		return out, problem.NotFound("notification")
	}
	return out, nil
}

// MarkAllRead marks every one of p's notifications read.
func (s *Service) MarkAllRead(ctx context.Context, p auth.Principal) error {
	user, err := person(p)
	if err != nil {
		return err
	}
	return s.db.WithContext(ctx).Exec("UPDATE notifications SET read_at = now() WHERE user_id = ? AND read_at IS NULL", user).Error
}

// Preferences says which reminders p gets.
func (s *Service) Preferences(ctx context.Context, p auth.Principal) ([]Preference, error) {
	user, err := person(p)
	if err != nil {
		return nil, err
	}
	var off []string
	if err := s.db.WithContext(ctx).Raw("SELECT kind FROM notification_preferences WHERE user_id = ? AND NOT enabled", user).Scan(&off).Error; err != nil {
		return nil, err
	}
	out := make([]Preference, len(Kinds))
	for i, k := range Kinds {
		out[i] = Preference{Kind: k, Enabled: !slices.Contains(off, k.Code)}
	}
	return out, nil
}

// SetPreferences turns the kinds named on or off; kinds not named stay.
func (s *Service) SetPreferences(ctx context.Context, p auth.Principal, set map[string]bool) ([]Preference, error) {
	user, err := person(p)
	if err != nil {
		return nil, err
	}
	var f problem.Fields
	for kind := range set {
		if !known(kind) {
			f.Add(kind, "unknown", "not a kind of reminder")
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err = database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		for kind, on := range set {
			if err := tx.Exec(`INSERT INTO notification_preferences (user_id, kind, enabled) VALUES (?, ?, ?)
				ON CONFLICT (user_id, kind) DO UPDATE SET enabled = excluded.enabled`, user, kind, on).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Preferences(ctx, p)
}

func known(kind string) bool {
	return slices.ContainsFunc(Kinds, func(k Kind) bool { return k.Code == kind })
}
