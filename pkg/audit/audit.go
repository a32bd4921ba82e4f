// Package audit keeps the audit trail: every change and every sign-in, who
// made it, before and after, written in the same transaction as the change.
// The table is append-only; PostgreSQL itself refuses UPDATE, DELETE and
// TRUNCATE on it, and hash-chains each entity's events so that a change made
// behind its back is found (Verify).
package audit

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"
)

// Actor is who did something.
type Actor struct {
	Type string // user, api_client, system or anonymous
	ID   string
}

// System is the actor of work the service does by itself (seeding, bootstrap).
var System = Actor{Type: "system", ID: "samverkan"}

// Event is one thing that happened to one entity.
type Event struct {
	Actor      Actor
	Action     string // e.g. organisation.create, auth.sign_in_failed
	EntityType string
	EntityID   string
	Before     any // nil, or the entity's API form before the change
	After      any
	// TenantID names the tenant the event belongs to when the change is
	// made across tenants (the platform's work); otherwise the tenant of
	// the transaction's scope.
	TenantID string
}

type requestKey struct{}

// Request is what the audit trail keeps of the HTTP request behind a change.
type Request struct {
	ID string
	IP string
	// IdempotencyKey is the request's Idempotency-Key: kept with the change
	// in its transaction, it tells a retry whether the change was made.
	IdempotencyKey string
}

// WithRequest puts the request's id and client address into ctx.
func WithRequest(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// RequestFrom returns the request stored by WithRequest, if any.
func RequestFrom(ctx context.Context) Request {
	r, _ := ctx.Value(requestKey{}).(Request)
	return r
}

type row struct {
	ID             int64 `gorm:"primaryKey;->"`
	OccurredAt     time.Time
	ActorType      string
	ActorID        string
	Action         string
	EntityType     string
	EntityID       string
	Before         []byte `gorm:"type:jsonb"`
	After          []byte `gorm:"type:jsonb"`
	RequestID      string
	IP             string `gorm:"column:ip"`
	IdempotencyKey string
	TenantID       *string `gorm:"default:samverkan_tenant()"`
}

func (row) TableName() string { return "audit_events" }

// Record writes e through tx, which should be the transaction of the change
// it records.
func Record(ctx context.Context, tx *gorm.DB, e Event) error {
	req := RequestFrom(ctx)
	r := row{
		OccurredAt:     time.Now().UTC(),
		ActorType:      e.Actor.Type,
		ActorID:        e.Actor.ID,
		Action:         e.Action,
		EntityType:     e.EntityType,
		EntityID:       e.EntityID,
		RequestID:      req.ID,
		IP:             req.IP,
		IdempotencyKey: req.IdempotencyKey,
	}
	if e.TenantID != "" {
		r.TenantID = &e.TenantID
	}
	var err error
	if r.Before, err = toJSON(e.Before); err != nil {
		return err
	}
	if r.After, err = toJSON(e.After); err != nil {
		return err
	}
	// No RETURNING: an event of no tenant (the platform's) may be written by
	// anyone but read only by the platform, and RETURNING would read it.
	return tx.WithContext(ctx).Exec(`INSERT INTO audit_events (occurred_at, actor_type, actor_id, action, entity_type, entity_id,
		before, after, request_id, ip, idempotency_key, tenant_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?::uuid, samverkan_tenant()))`,
		r.OccurredAt, r.ActorType, r.ActorID, r.Action, r.EntityType, r.EntityID, r.Before, r.After, r.RequestID, r.IP,
		r.IdempotencyKey, r.TenantID).Error
}

func toJSON(v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	return json.Marshal(v)
}
