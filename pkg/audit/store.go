package audit

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/platform/database"
)

// Filter narrows the audit trail.
type Filter struct {
	EntityType string
	EntityID   string
	Actor      string // actor id
	Action     string
	From, To   *time.Time
	AfterID    int64 // keyset: events older than this id (newest first)
	Limit      int
}

// Store reads the audit trail.
type Store struct{ db *gorm.DB }

// NewStore returns a Store over db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// StoredEvent is an event as kept, with its id and time.
type StoredEvent struct {
	ID         int64
	OccurredAt time.Time
	ActorType  string
	ActorID    string
	Action     string
	EntityType string
	EntityID   string
	Before     json.RawMessage
	After      json.RawMessage
	RequestID  string
	IP         string
}

// List returns the tenant's events newest first, Limit+1 at most so the
// caller can tell whether more follow.
func (s *Store) List(ctx context.Context, f Filter) ([]StoredEvent, error) {
	q := s.db.WithContext(ctx).Model(&row{}).Where(database.OfTenant(ctx, "tenant_id"))
	if f.EntityType != "" {
		q = q.Where("entity_type = ?", f.EntityType)
	}
	if f.EntityID != "" {
		q = q.Where("entity_id = ?", f.EntityID)
	}
	if f.Actor != "" {
		q = q.Where("actor_id = ?", f.Actor)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.From != nil {
		q = q.Where("occurred_at >= ?", *f.From)
	}
	if f.To != nil {
		q = q.Where("occurred_at < ?", *f.To)
	}
	if f.AfterID > 0 {
		q = q.Where("id < ?", f.AfterID)
	}
	var rows []row
	if err := q.Order("id DESC").Limit(f.Limit + 1).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]StoredEvent, len(rows))
	for i, r := range rows {
		out[i] = StoredEvent{ID: r.ID, OccurredAt: r.OccurredAt, ActorType: r.ActorType, ActorID: r.ActorID,
			Action: r.Action, EntityType: r.EntityType, EntityID: r.EntityID,
			Before: r.Before, After: r.After, RequestID: r.RequestID, IP: r.IP}
	}
	return out, nil
}

// CountSince counts events of action since t, for one entity id or one
// address, and returns the oldest such event's time.
func (s *Store) CountSince(ctx context.Context, action, column, value string, since time.Time) (int, time.Time, error) {
	var res struct {
		N      int
		Oldest *time.Time
	}
	col := map[string]string{"entity_id": "entity_id", "ip": "ip"}[column]
	err := s.db.WithContext(ctx).Raw(
		"SELECT count(*) AS n, min(occurred_at) AS oldest FROM audit_events WHERE action = ? AND "+col+" = ? AND occurred_at > ?",
		action, value, since).Scan(&res).Error
	if res.Oldest == nil {
		return res.N, time.Time{}, err
	}
	return res.N, *res.Oldest, err
}

// cursor is the keyset position of a page of events.
func cursor(id int64) string { return strconv.FormatInt(id, 10) }

// Committed reports whether the trail holds a change actor made in a
// request with the Idempotency-Key key: written in the change's own
// transaction, it is there exactly when the change was committed.
// The caller's request is not scoped yet, so this looks across tenants,
// for actor's own events only.
func Committed(ctx context.Context, db *gorm.DB, actor Actor, key string) (bool, error) {
	var found bool
	err := database.Within(ctx, db, database.PlatformScope, func(ctx context.Context) error {
		return db.WithContext(ctx).Raw(`SELECT EXISTS (SELECT 1 FROM audit_events
		WHERE actor_type = ? AND actor_id = ? AND idempotency_key = ? AND idempotency_key <> '')`, actor.Type, actor.ID, key).Scan(&found).Error
	})
	return found, err
}
