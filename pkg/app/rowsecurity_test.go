package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/platform/database"
)

// shared are the tables every tenant reads (the national registers, the
// law, the rates), or that hold no tenant's records (the service's own
// bookkeeping, keyed by principal where a principal owns a row): no
// row-level security.
var sharedTables = []string{"municipalities", "organisations", "rules", "exchange_rates", "reference_counters", "idempotency_keys",
	"rate_counts", "service_instances", "webhook_cursor", "goose_db_version"}

// public are the tables with row-level security whose rows every scope
// reads by design: the tenants, public bodies whose names a shared
// partnership and another grantor's aid show (only the platform creates
// them, and a tenant changes only its own row).
var public = []string{"tenants"}

// rowTenants are the columns that name the tenant a row belongs to or is
// about.
var rowTenants = []string{"tenant_id", "owner_tenant_id", "recorded_by"}

// TestRowLevelSecurityKeepsTenantsApart is the proof of issue 14's point 4:
// PostgreSQL itself keeps tenants apart, whatever the query says. On a
// database with Göteborg's and Malmö's rows in every table a tenant owns,
// a deliberately unfiltered SELECT * of each such table (every table with
// row-level security, from the catalog) run as the application role:
//   - in Göteborg's scope returns Göteborg's rows and none of Malmö's;
//   - outside any scope returns no tenant's row;
//   - an INSERT naming Malmö's tenant in Göteborg's scope is refused, and
//     an UPDATE or DELETE there reaches none of Malmö's rows.
//
// The application role can neither bypass the policies nor own what they
// guard, and open data stays public across tenants.
func TestRowLevelSecurityKeepsTenantsApart(t *testing.T) {
	t.Parallel() // a database of its own
	w := newTwoTenants(t)
	env, owner := w.env, w.env.Owner()
	ours, theirs := w.a.Tenant, w.b.Tenant
	ctx := context.Background()

	var tables []string
	owner.Raw(`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relrowsecurity ORDER BY 1`).Scan(&tables)
	if len(tables) < 40 {
		t.Fatalf("only %d tables with row-level security: %v", len(tables), tables)
	}
	tables = slices.DeleteFunc(tables, func(tb string) bool { return slices.Contains(public, tb) })

	t.Run("catalog", func(t *testing.T) {
		var unguarded []string
		owner.Raw(`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relrowsecurity ORDER BY 1`).Scan(&unguarded)
		for _, tb := range unguarded {
			if !slices.Contains(sharedTables, tb) {
				t.Errorf("table %s has no row-level security and is not among the shared tables", tb)
			}
		}
		var policiless []string
		owner.Raw(`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'public' AND c.relrowsecurity AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)`).Scan(&policiless)
		if len(policiless) > 0 {
			t.Errorf("tables with row-level security but no policy (nobody could read them): %v", policiless)
		}
		var role struct{ Super, Bypass, Inherits bool }
		owner.Raw("SELECT rolsuper AS super, rolbypassrls AS bypass FROM pg_roles WHERE rolname = ?", database.AppRole).Scan(&role)
		if role.Super || role.Bypass {
			t.Errorf("%s is a superuser (%v) or may bypass row-level security (%v)", database.AppRole, role.Super, role.Bypass)
		}
		var owned []string
		owner.Raw(`SELECT relname FROM pg_class WHERE pg_has_role(?, relowner, 'MEMBER') AND relnamespace = 'public'::regnamespace
			UNION ALL SELECT proname FROM pg_proc WHERE pg_has_role(?, proowner, 'MEMBER') AND pronamespace = 'public'::regnamespace
			UNION ALL SELECT nspname FROM pg_namespace WHERE pg_has_role(?, nspowner, 'MEMBER')`,
			database.AppRole, database.AppRole, database.AppRole).Scan(&owned)
		if len(owned) > 0 {
			t.Errorf("%s owns (or is a member of a role that owns) %v: an owner is not held to its table's policies", database.AppRole, owned)
		}
		var bypassing []string
		owner.Raw(`SELECT r.rolname FROM pg_roles r WHERE pg_has_role(?, r.oid, 'MEMBER') AND (r.rolsuper OR r.rolbypassrls)`,
			database.AppRole).Scan(&bypassing)
		if len(bypassing) > 0 {
			t.Errorf("%s is a member of %v, which may bypass row-level security", database.AppRole, bypassing)
		}
	})

	// read is every row of table, as JSON, through the service's pool: in
	// the scope of ctx's session, or, without one, in none.
	read := func(ctx context.Context, table string) []map[string]any {
		t.Helper()
		var raw []string
		if err := env.DB.WithContext(ctx).Raw(`SELECT to_jsonb(x)::text FROM ` + table + ` x`).Scan(&raw).Error; err != nil {
			t.Fatalf("SELECT * FROM %s: %v", table, err)
		}
		out := make([]map[string]any, len(raw))
		for i, r := range raw {
			if err := json.Unmarshal([]byte(r), &out[i]); err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	// of says whether a row belongs to (or names) tenant.
	of := func(table string, row map[string]any, tenant string) bool {
		if table == "tenants" {
			return row["id"] == tenant
		}
		for _, c := range rowTenants {
			if row[c] == tenant {
				return true
			}
		}
		return false
	}
	theirsIn := map[string]int{}
	for _, tb := range tables {
		for _, row := range ownerRows(t, owner, tb) {
			if of(tb, row, theirs) {
				theirsIn[tb]++
			}
		}
	}

	for _, tb := range tables {
		if theirsIn[tb] == 0 {
			t.Errorf("%s holds no row of theirs: the proof does not cover it", tb)
		}
	}

	// A reporter's scope adds the partnerships their organisation is a
	// party to, of any tenant: our reporter's, none of theirs.
	for _, sc := range []struct {
		name  string
		scope database.Scope
	}{{"our scope", database.Scope{Tenant: ours}}, {"our reporter's scope", database.Scope{Tenant: ours, Organisation: w.ours.ids["organisations:id"]}}} {
		t.Run("unfiltered in "+sc.name, func(t *testing.T) {
			err := database.Within(ctx, env.DB, sc.scope, func(ctx context.Context) error {
				for _, tb := range tables {
					rows, mine := read(ctx, tb), 0
					for _, row := range rows {
						if of(tb, row, ours) {
							mine++
						}
						if of(tb, row, theirs) {
							t.Errorf("SELECT * FROM %s in %s returns a row of theirs: %v", tb, sc.name, row)
							continue
						}
						text, _ := json.Marshal(row)
						for _, s := range w.theirs.secrets {
							if strings.Contains(string(text), s) {
								t.Errorf("SELECT * FROM %s in %s returns %s of theirs: %s", tb, sc.name, w.theirs.name(s), text)
							}
						}
					}
					if mine == 0 {
						t.Errorf("SELECT * FROM %s in %s returns none of our rows either: the policy shows nothing", tb, sc.name)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d tables read in full in %s, which hold %d rows of theirs", len(tables), sc.name, sum(theirsIn))
		})
	}

	t.Run("unfiltered outside any scope", func(t *testing.T) {
		for _, tb := range tables {
			for _, row := range read(ctx, tb) {
				if tb == "tenants" || row["tenant_id"] != nil {
					t.Errorf("SELECT * FROM %s outside any scope returns a tenant's row: %v", tb, row)
				}
			}
		}
	})

	t.Run("writes naming their tenant in our scope", func(t *testing.T) {
		refused := errors.New("rolled back")
		tried := 0
		for _, tb := range tables {
			var cols []string
			owner.Raw(`SELECT attname FROM pg_attribute WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped
				AND attgenerated = '' AND attidentity = '' ORDER BY attnum`, tb).Scan(&cols)
			var row map[string]any
			for _, r := range ownerRows(t, owner, tb) {
				if of(tb, r, theirs) {
					row = r
					break
				}
			}
			if row == nil {
				continue // reported above
			}
			if _, ok := row["id"].(string); ok {
				row["id"] = uuid.NewString() // a new row, not theirs again
			}
			if tb == "tenants" {
				row["code"], row["org_number"], row["host"] = "9999", nil, nil
			}
			body, _ := json.Marshal(row)
			list := `"` + strings.Join(cols, `", "`) + `"`
			for _, stmt := range []struct {
				name, sql string
				args      []any
				refuse    bool
			}{
				{"INSERT", `INSERT INTO ` + tb + ` (` + list + `) SELECT ` + list + ` FROM jsonb_populate_record(NULL::` + tb + `, ?::jsonb)`, []any{string(body)}, true},
				{"UPDATE", `UPDATE ` + tb + ` SET ` + cols[0] + ` = ` + cols[0] + ` WHERE ` + theirColumn(tb) + ` = ?`, []any{theirs}, false},
				{"DELETE", `DELETE FROM ` + tb + ` WHERE ` + theirColumn(tb) + ` = ?`, []any{theirs}, false},
				{"UPDATE to theirs", `UPDATE ` + tb + ` SET ` + theirColumn(tb) + ` = ? WHERE ` + theirColumn(tb) + ` = ?`, []any{theirs, ours}, true},
			} {
				var n int64
				err := database.Within(ctx, env.DB, database.Scope{Tenant: ours}, func(ctx context.Context) error {
					return database.InTx(ctx, env.DB, func(tx *gorm.DB) error {
						res := tx.Exec(stmt.sql, stmt.args...)
						n = res.RowsAffected
						if res.Error != nil {
							return res.Error
						}
						return refused // whatever it did, undone
					})
				})
				tried++
				var pe *pgconn.PgError
				switch {
				case errors.As(err, &pe) && pe.Code == "42501" && (stmt.name != "INSERT" || strings.Contains(pe.Message, "row-level security")):
					// refused by a policy (or, for what the role may never do, by a grant)
				case stmt.refuse:
					t.Errorf("%s %s naming their tenant in our scope: %v, want refused by row-level security (%d rows)", stmt.name, tb, err, n)
				case !errors.Is(err, refused):
					t.Errorf("%s %s: %v", stmt.name, tb, err)
				case n > 0:
					t.Errorf("%s %s in our scope reached %d rows of theirs", stmt.name, tb, n)
				}
			}
		}
		t.Logf("%d writes at their rows from our scope, none made", tried)
	})

	t.Run("open data", func(t *testing.T) {
		count := func(query string) (int, string) {
			res := env.Do("GET", "/api/v1/open-data/360giving.json"+query, "", nil)
			var pkg struct{ Grants []struct{ ID, Title string } }
			res.JSON(t, &pkg)
			var titles []string
			for _, g := range pkg.Grants {
				titles = append(titles, g.Title)
			}
			return res.Code, strings.Join(titles, "; ")
		}
		theirTitle := w.theirs.title
		if code, all := count(""); code != http.StatusOK || !strings.Contains(all, theirTitle) {
			t.Errorf("open data as a whole: %d, without their public grant %q: %s", code, theirTitle, all)
		}
		if code, one := count("?tenant=1280"); code != http.StatusOK || !strings.Contains(one, theirTitle) {
			t.Errorf("their open data: %d, without their public grant: %s", code, one)
		}
		if code, one := count("?tenant=1480"); code != http.StatusOK || strings.Contains(one, theirTitle) {
			t.Errorf("our open data: %d, with their grant: %s", code, one)
		}
		if res := env.Do("GET", "/api/v1/open-data/360giving.csv?tenant=9999", "", nil); res.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(string(res.Body), `"tenant"`) {
			t.Errorf("open data of no tenant: %d %s, want 422 naming the field", res.Code, res.Body)
		}
	})
}

// theirColumn is the column of table that names the tenant a row belongs to.
func theirColumn(table string) string {
	switch table {
	case "tenants":
		return "id"
	case "partnership_tenants":
		return "owner_tenant_id"
	}
	return "tenant_id"
}

// ownerRows are every row of table as the tables' owner sees them.
func ownerRows(t *testing.T, owner *gorm.DB, table string) []map[string]any {
	t.Helper()
	var raw []string
	if err := owner.Raw(`SELECT to_jsonb(x)::text FROM ` + table + ` x`).Scan(&raw).Error; err != nil {
		t.Fatal(err)
	}
	out := make([]map[string]any, len(raw))
	for i, r := range raw {
		if err := json.Unmarshal([]byte(r), &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
