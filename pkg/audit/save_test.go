package audit_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

type sourceRow struct {
	ID         string `gorm:"primaryKey;default:gen_random_uuid()"`
	Name       string
	Kind       string
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time
}

func (sourceRow) TableName() string { return "funding_sources" }

// Save inserts a row (id "") or updates it at the client's version, then
// reloads it and records the event with the row's id and what it read.
func TestSaveWritesReloadsAndRecords(t *testing.T) {
	db := dbtest.Fresh(t)
	var tenant string
	if err := db.Raw("INSERT INTO tenants (kind, code, name) VALUES ('municipality', '1480', 'Göteborg') RETURNING id").Scan(&tenant).Error; err != nil {
		t.Fatal(err)
	}
	ctx, end, err := database.Begin(context.Background(), db, database.Scope{Tenant: tenant})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = end() })
	save := func(id string, version int, r *sourceRow, values map[string]any) (sourceRow, error) {
		var out sourceRow
		err := database.InTx(ctx, db, func(tx *gorm.DB) error {
			return audit.Save(ctx, tx, &out, audit.Change[sourceRow]{
				Table: "funding_sources", Entity: "funding source", ID: id, Version: version, Row: r, Values: values,
				Load:  audit.Reload(tx, func(r sourceRow) sourceRow { return r }),
				Event: audit.Event{Actor: audit.System, Action: "funding_source.save", EntityType: "funding_source"},
			})
		})
		return out, err
	}
	created, err := save("", 0, &sourceRow{Name: "Sociala investeringar", Kind: "municipal"}, nil)
	if err != nil || created.ID == "" || created.Version != 1 || created.CreatedAt.IsZero() {
		t.Fatalf("insert: %+v %v", created, err)
	}
	updated, err := save(created.ID, 1, nil, map[string]any{"name": "Sociala investeringsmedel"})
	if err != nil || updated.Version != 2 || updated.Name != "Sociala investeringsmedel" {
		t.Fatalf("update: %+v %v", updated, err)
	}
	for _, tc := range []struct {
		name    string
		id      string
		version int
		status  int
	}{
		{"a stale version", created.ID, 1, http.StatusPreconditionFailed},
		{"a missing row", "00000000-0000-0000-0000-000000000000", 1, http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := save(tc.id, tc.version, nil, map[string]any{"name": "x"})
			var p *problem.Error
			if !errors.As(err, &p) || p.Status != tc.status {
				t.Fatalf("answered %v, want %d", err, tc.status)
			}
		})
	}
	events, err := audit.NewStore(db).List(ctx, audit.Filter{EntityID: created.ID, Limit: 10})
	if err != nil || len(events) != 2 {
		t.Fatalf("events: %+v %v", events, err)
	}
	var after sourceRow
	if err := json.Unmarshal(events[0].After, &after); err != nil || after.Version != 2 || events[0].Before != nil {
		t.Fatalf("the update's event: %+v %v", events[0], err)
	}
}
