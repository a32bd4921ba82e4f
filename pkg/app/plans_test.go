package app_test

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/samverkan/samverkan/bench/seed"
	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

// recorder keeps every query sent and its arguments.
type recorder struct {
	mu      sync.Mutex
	queries []recorded
}

type recorded struct {
	sql  string
	args []any
}

func (r *recorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.mu.Lock()
	r.queries = append(r.queries, recorded{d.SQL, d.Args})
	r.mu.Unlock()
	return ctx
}
func (r *recorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (r *recorder) take() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	q := r.queries
	r.queries = nil
	return q
}

// large are the tables that grow with the country; a list must never read
// one of them from end to end.
var large = map[string]bool{"partnerships": true, "organisations": true, "allocations": true, "partnership_parties": true,
	"measurements": true, "indicators": true, "audit_events": true}

// seqScans names the large tables a plan reads sequentially.
func seqScans(node map[string]any) []string {
	var out []string
	if node["Node Type"] == "Seq Scan" && large[node["Relation Name"].(string)] {
		out = append(out, node["Relation Name"].(string))
	}
	if kids, ok := node["Plans"].([]any); ok {
		for _, k := range kids {
			out = append(out, seqScans(k.(map[string]any))...)
		}
	}
	return out
}

// explain plans a query as the service runs it: as the application role,
// held to row-level security, in the tenant's scope (the policies' filters
// keep some conditions from being index conditions, so a superuser's plan
// could use an index the service's cannot).
func explain(ctx context.Context, conn *pgx.Conn, tenant string, r recorded) ([]byte, error) {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read only
	if _, err := tx.Exec(ctx, "SET LOCAL ROLE "+database.AppRole); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, "SELECT set_config('samverkan.tenant', $1, true)", tenant); err != nil {
		return nil, err
	}
	var raw []byte
	err = tx.QueryRow(ctx, "EXPLAIN (FORMAT JSON) "+r.sql, r.args...).Scan(&raw)
	return raw, err
}

// Every filter and sort the list endpoints accept is served by an index on
// a region-scale dataset (30,000 organisations, 15,000 partnerships, 150,000
// measurements, 49 municipalities and a region as tenants): each query a
// list request of a tenant's viewer sends is explained with its arguments,
// as the service would run it, and a sequential scan of a large table fails
// the test.
func TestListPlansUseIndexes(t *testing.T) {
	if testing.Short() || os.Getenv("SAMVERKAN_SKIP_PLANS") != "" {
		t.Skip("generates a region-scale dataset")
	}
	ctx := context.Background()
	dbURL := dbtest.FreshURL(t)
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if err := seed.Seed(ctx, pool, seed.Scales["region"], 1, func(string, ...any) {}); err != nil {
		t.Fatal(err)
	}
	var rec recorder
	db, err := database.Open(ctx, dbURL, database.Options{MaxConns: 4, Tracer: &rec})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) }) //nolint:errcheck
	env := apptest.Over(t, db)               // its tenant is the generated Göteborg, one of 50
	_, token := env.NewUser(auth.RoleViewer)

	// The filters name the tenant's own records.
	one := func(sql string) string {
		var v string
		if err := pool.QueryRow(ctx, sql, env.Tenant).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	district := one("SELECT id::text FROM districts WHERE tenant_id = $1 ORDER BY id LIMIT 1")
	org := one("SELECT organisation_id::text FROM partnership_parties WHERE tenant_id = $1 ORDER BY id LIMIT 1")
	source := one("SELECT source_id::text FROM allocations WHERE tenant_id = $1 ORDER BY id LIMIT 1")
	partnership := one("SELECT id::text FROM partnerships WHERE tenant_id = $1 ORDER BY id LIMIT 1")
	municipality := one("SELECT code FROM municipalities WHERE code = (SELECT code FROM tenants WHERE id = $1)")
	name := one("SELECT split_part(name, ' ', 1) || ' ' || split_part(name, ' ', 2) FROM organisations WHERE municipality_code = (SELECT code FROM tenants WHERE id = $1) ORDER BY id LIMIT 1")

	lists := []struct {
		path    string
		filters []string
		sorts   []string
	}{
		{"/api/v1/partnerships", []string{"", "status=active", "form=iop", "municipality=" + municipality, "district=" + district,
			"organisation=" + org, "organisation=" + org + "&role=lead", "target_group=unga", "policy_goal=sdg_3", "participation_level=dialogue",
			"active_on=2020-06-01", "from=2025-01-01", "to=2012-01-01", "funding_source=" + source, "q=" + url.QueryEscape("läxhjälp"),
			"updated_since=2026-01-01T00:00:00Z"},
			[]string{"start_date", "-start_date", "title", "-title", "reference", "-reference", "updated_at", "-updated_at", "created_at", "-created_at"}},
		{"/api/v1/organisations", []string{"", "sector=academia", "legal_form=ideell_forening", "municipality=" + municipality, "district=" + district,
			"target_group=unga", "q=" + url.QueryEscape(name), "updated_since=2026-01-01T00:00:00Z"},
			[]string{"name", "-name", "updated_at", "-updated_at", "created_at", "-created_at"}},
		{"/api/v1/allocations", []string{"partnership=" + partnership, "source=" + source, "recipient=" + org, "recipient=" + org + "&fiscal_year=2020"}, []string{""}},
		{"/api/v1/measurements", []string{"", "status=submitted"}, []string{""}},
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	checked := 0
	for _, l := range lists {
		for _, f := range l.filters {
			for _, s := range l.sorts {
				q := url.Values{}
				path := l.path + "?" + f
				if s != "" {
					q.Set("sort", s)
					path += "&" + q.Encode()
				}
				rec.take()
				if res := env.Do("GET", path, token, nil); res.Code != 200 {
					t.Errorf("%s: %d %s", path, res.Code, res.Body)
					continue
				}
				for _, r := range rec.take() {
					if !strings.HasPrefix(strings.TrimSpace(strings.ToUpper(r.sql)), "SELECT") && !strings.HasPrefix(strings.TrimSpace(strings.ToUpper(r.sql)), "WITH") {
						continue
					}
					var plan []struct{ Plan map[string]any }
					raw, err := explain(ctx, conn.Conn(), env.Tenant, r)
					if err != nil {
						t.Fatalf("%s: explain: %v\n%s", path, err, r.sql)
					}
					if err := json.Unmarshal(raw, &plan); err != nil {
						t.Fatal(err)
					}
					checked++
					if seq := seqScans(plan[0].Plan); len(seq) > 0 {
						t.Errorf("%s reads %v sequentially:\n%s", path, seq, r.sql)
					}
				}
			}
		}
	}
	t.Logf("%d queries explained", checked)
}
