package database_test

import (
	"context"
	"testing"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

type seen struct {
	Tenant, Platform, Role string
	Pid                    int
}

func look(t *testing.T, ctx context.Context, db *gorm.DB) seen {
	t.Helper()
	var s seen
	if err := db.WithContext(ctx).Raw(`SELECT current_setting('samverkan.tenant', true) AS tenant,
		current_setting('samverkan.platform', true) AS platform, current_user AS role, pg_backend_pid() AS pid`).Scan(&s).Error; err != nil {
		t.Fatal(err)
	}
	return s
}

// A session runs every statement on one connection as samverkan_app with
// its scope set; a scope taken for a moment inside it (across tenants) uses
// the same connection and gives the outer scope back, also inside InTx.
func TestASessionKeepsItsScopeOnOneConnection(t *testing.T) {
	db := dbtest.DB(t)
	const a = "11111111-1111-4111-8111-111111111111"
	err := database.Within(context.Background(), db, database.Scope{Tenant: a}, func(ctx context.Context) error {
		first := look(t, ctx, db)
		if first.Tenant != a || first.Platform != "" || first.Role != database.AppRole {
			t.Errorf("in the tenant's session: %+v", first)
		}
		check := func(where string) {
			err := database.Within(ctx, db, database.PlatformScope, func(ctx context.Context) error {
				in := look(t, ctx, db)
				if in.Tenant != "" || in.Platform != "on" || in.Pid != first.Pid {
					t.Errorf("%s, across tenants: %+v (the session's connection is %d)", where, in, first.Pid)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if back := look(t, ctx, db); back.Tenant != a || back.Platform != "" || back.Pid != first.Pid {
				t.Errorf("%s, back: %+v", where, back)
			}
		}
		check("between statements")
		return database.InTx(ctx, db, func(tx *gorm.DB) error {
			check("inside InTx")
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	// Outside any session: no tenant.
	if s := look(t, context.Background(), db); s.Tenant != "" || s.Role != database.AppRole {
		t.Errorf("outside a session: %+v", s)
	}
}

// A scope that is not a uuid never reaches the SQL.
func TestAScopeMustBeUUIDs(t *testing.T) {
	db := dbtest.DB(t)
	err := database.Within(context.Background(), db, database.Scope{Tenant: "x', true); DROP TABLE tenants; --"}, func(context.Context) error { return nil })
	if err == nil {
		t.Fatal("a scope with SQL in it was taken")
	}
}
