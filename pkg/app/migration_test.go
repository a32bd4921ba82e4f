package app_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

// golden is what testdata/from-00014/generate.go wrote: the data of an
// installation at schema 00014 (the demo, and a row in each table the demo
// leaves empty) and every export its administrator fetched from the code
// of that schema (commit 24e45ce).
const golden = "testdata/from-00014"

// exchange is one request and the old code's answer (generate.go's
// Exchange).
type exchange struct {
	Path        string          `json:"path"`
	Accept      string          `json:"accept"`
	Paged       bool            `json:"paged"`
	Status      int             `json:"status"`
	ContentType string          `json:"content_type"`
	JSON        json.RawMessage `json:"json"`
	Text        string          `json:"text"`
	Binary      []byte          `json:"binary"`
	Sheets      []sheet         `json:"sheets"`
}

type sheet struct {
	Name string     `json:"name"`
	Rows [][]string `json:"rows"`
}

// TestMigrationFrom00014KeepsEveryExport moves a single-city installation
// into one tenant with nothing lost: it loads the data of schema 00014 into
// a database goose migrated to 00014, migrates it to the newest schema and
// asks the service, as the administrator of the tenant the migration made
// (Göteborg, where most partnerships are), for every export the old code
// answered: each GET of the old contract without a path parameter (every
// page, as JSON, CSV and XLSX) and the details below the lists. Every field,
// column and cell the old code answered must be there with the same value.
// Only this may differ:
//   - fields, columns and cells the new code adds (tenants, sharing, …): the
//     old answer is compared, not the new one (the added fields are logged);
//   - a report's generated_at, and the "Skapad" row of its XLSX: the time
//     the report was made.
//
// The old answers hold no other clock: the demo's dates are all in the
// past, and nothing is due or ending relative to today.
//
// Besides the exports: every table keeps its row count, every row of a
// tenant's table is the tenant's, the audit trail's chains still hold, and
// the old demo sign-in (its password hashed by the old code) still signs
// in, into the tenant.
func TestMigrationFrom00014KeepsEveryExport(t *testing.T) {
	ctx := context.Background()
	dbURL := dbtest.EmptyURL(t)
	owner, err := database.Open(ctx, dbURL, database.Options{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(owner)
	if _, err := database.MigrateUpTo(ctx, owner, 14); err != nil {
		t.Fatal(err)
	}
	loadDump(t, dbURL, filepath.Join(golden, "demo-data.sql.gz"))
	before := rowCounts(t, owner)
	if _, err := database.MigrateUp(ctx, owner); err != nil {
		t.Fatal(err)
	}
	after := rowCounts(t, owner)
	for table, n := range before {
		if after[table] != n {
			t.Errorf("%s: %d rows before the migration, %d after", table, n, after[table])
		}
	}

	var tenants []struct{ ID, Code, Kind string }
	owner.Raw("SELECT id, code, kind FROM tenants").Scan(&tenants)
	if len(tenants) != 1 || tenants[0].Code != "1480" || tenants[0].Kind != "municipality" {
		t.Fatalf("the migration should make one tenant, Göteborg (1480): %+v", tenants)
	}
	home := tenants[0].ID
	checkEveryRowIsTheTenants(t, owner, home)
	if v, err := audit.Verify(ctx, owner); err != nil || !v.Intact() || v.Events != before["audit_events"] {
		t.Errorf("the audit trail after the migration: %d events (%d before), broken %v, %v", v.Events, before["audit_events"], v.Broken, err)
	}

	db, err := database.Open(ctx, dbURL, database.Options{MaxConns: 10, Role: database.AppRole})
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	env := apptest.Over(t, db)
	if env.Tenant != home {
		t.Fatalf("the service's Göteborg is %s, the migration's %s", env.Tenant, home)
	}
	var adminID string
	owner.Raw("SELECT id FROM users WHERE email = 'admin@demo.samverkan.se'").Scan(&adminID)
	// A token, not a sign-in: a sign-in is an audit event, and the audit
	// trail is one of the exports.
	token := env.Token(auth.Principal{Kind: auth.KindUser, ID: adminID, TenantID: home, Role: auth.RoleAdmin, Scopes: auth.RoleScopes(auth.RoleAdmin)})

	var exchanges []exchange
	readGzipJSON(t, filepath.Join(golden, "exports.json.gz"), &exchanges)
	added := map[string]string{} // field → where the new code first added it
	for _, x := range exchanges {
		t.Run(x.Accept+x.Path, func(t *testing.T) {
			got := fetch(t, env, token, x)
			for _, d := range compare(t, x, got, func(field string) {
				if _, ok := added[field]; !ok {
					added[field] = x.Path
				}
			}) {
				t.Error(d)
			}
		})
	}
	if len(exchanges) < 400 {
		t.Errorf("only %d exports in %s", len(exchanges), golden)
	}
	fields := make([]string, 0, len(added))
	for f, at := range added {
		fields = append(fields, f+" ("+at+")")
	}
	sort.Strings(fields)
	t.Logf("%d exports compared with the old code's; %d tables' rows counted; fields the new code adds: %s", len(exchanges), len(before), strings.Join(fields, ", "))

	res := env.Do("POST", "/api/v1/auth/token", "", map[string]string{"grant_type": "password", "username": "admin@demo.samverkan.se", "password": "samverkan-demo"})
	var tok auth.TokenResponse
	res.JSON(t, &tok)
	if res.Code != 200 {
		t.Fatalf("the old demo sign-in after the migration: %d %s", res.Code, res.Body)
	}
	me := env.Do("GET", "/api/v1/tenant", tok.AccessToken, nil)
	if me.Code != 200 || !strings.Contains(string(me.Body), home) {
		t.Errorf("the old administrator's tenant: %d %s", me.Code, me.Body)
	}
}

// loadDump replaces the data of every table (what the migrations wrote
// too: code lists, rules) with a pg_dump --data-only script's, with the
// triggers and foreign keys off while it runs (session_replication_role),
// as pg_restore --disable-triggers does: the rows go in as they were, audit
// hashes and all.
//
// But for the transaction ids of the audit trail, which the change feed
// orders by and shows only once older than every running transaction: the
// dump's were made on another cluster, which may be ahead of this one, so
// they are numbered again in their order from the first normal id (3), as
// if made here before (they are not part of the events' hashes).
func loadDump(t *testing.T, dbURL, file string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx) // the dump empties search_path: this connection is done after it
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	script, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	rows, err := conn.Query(ctx, "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'goose_db_version'")
	if err == nil {
		tables, err = pgx.CollectRows(rows, pgx.RowTo[string])
	}
	if err != nil {
		t.Fatal(err)
	}
	load := "BEGIN; SET LOCAL session_replication_role = replica; TRUNCATE " + strings.Join(tables, ", ") + ";\n" + string(script) + `
		CREATE TEMP TABLE renumbered ON COMMIT DROP AS
			SELECT xid AS old, (2 + dense_rank() OVER (ORDER BY xid))::text::xid8 AS new FROM (SELECT xid FROM public.audit_events UNION SELECT xid FROM public.webhook_cursor) x;
		UPDATE public.audit_events e SET xid = r.new FROM renumbered r WHERE e.xid = r.old;
		UPDATE public.webhook_cursor c SET xid = r.new FROM renumbered r WHERE c.xid = r.old;
		COMMIT`
	if _, err := conn.Exec(ctx, load); err != nil {
		t.Fatalf("load %s: %v", file, err)
	}
}

// rowCounts counts the rows of every table but goose's.
func rowCounts(t *testing.T, db *gorm.DB) map[string]int64 {
	t.Helper()
	var tables []string
	db.Raw("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'goose_db_version' ORDER BY 1").Scan(&tables)
	parts := make([]string, len(tables))
	for i, name := range tables {
		parts[i] = fmt.Sprintf("SELECT '%s' AS name, count(*) AS n FROM %s", name, pgx.Identifier{name}.Sanitize()) // names of the schema's own tables
	}
	var rows []struct {
		Name string
		N    int64
	}
	if err := db.Raw(strings.Join(parts, " UNION ALL ")).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, r := range rows {
		out[r.Name] = r.N
	}
	return out
}

// checkEveryRowIsTheTenants checks that every row with a tenant_id is the
// home tenant's, but the shared code lists' national entries (no tenant).
func checkEveryRowIsTheTenants(t *testing.T, db *gorm.DB, home string) {
	t.Helper()
	var tables []string
	db.Raw("SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY 1").Scan(&tables)
	if len(tables) < 35 {
		t.Errorf("only %d tables have a tenant_id", len(tables))
	}
	for _, table := range tables {
		national := "false"
		if table == "code_list_entries" {
			national = "municipality_code IS NULL"
		}
		var stray int64
		q := fmt.Sprintf("SELECT count(*) FROM %s WHERE tenant_id IS DISTINCT FROM ? AND NOT (tenant_id IS NULL AND %s)", pgx.Identifier{table}.Sanitize(), national)
		if err := db.Raw(q, home).Scan(&stray).Error; err != nil {
			t.Fatal(err)
		}
		if stray > 0 {
			t.Errorf("%s: %d rows outside the tenant", table, stray)
		}
	}
}

func readGzipJSON(t *testing.T, file string, v any) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.NewDecoder(zr).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// fetch asks the new service what x asked the old one; a paged list is
// every page's items gathered, as generate.go gathered them.
func fetch(t *testing.T, env *apptest.Env, token string, x exchange) apptest.Response {
	var headers []apptest.Header
	if x.Accept != "" {
		headers = append(headers, apptest.H("Accept", x.Accept))
	}
	path := "/api/v1" + x.Path
	res := env.Do("GET", path, token, nil, headers...)
	if !x.Paged {
		return res
	}
	items := []json.RawMessage{}
	for res.Code == 200 {
		var page struct {
			Items      []json.RawMessage `json:"items"`
			NextCursor string            `json:"next_cursor"`
		}
		res.JSON(t, &page)
		items = append(items, page.Items...)
		if page.NextCursor == "" || len(page.Items) < 200 {
			res.Body, _ = json.Marshal(map[string]any{"items": items})
			break
		}
		param := "cursor"
		if strings.HasPrefix(x.Path, "/changes") {
			param = "since"
		}
		res = env.Do("GET", path+"&"+param+"="+url.QueryEscape(page.NextCursor), token, nil, headers...)
	}
	return res
}

// compare lists where the new answer lacks or changes what the old one
// said; added is told of each field the new code adds.
func compare(t *testing.T, old exchange, got apptest.Response, added func(field string)) []string {
	if got.Code != old.Status {
		return []string{fmt.Sprintf("status %d, the old code answered %d: %.300s", got.Code, old.Status, got.Body)}
	}
	media := func(ct string) string { return strings.TrimSpace(strings.Split(ct, ";")[0]) }
	if media(got.Header.Get("Content-Type")) != media(old.ContentType) {
		return []string{fmt.Sprintf("content type %q, the old code answered %q", got.Header.Get("Content-Type"), old.ContentType)}
	}
	switch {
	case old.JSON != nil:
		var want, have any
		if err := unmarshal(old.JSON, &want); err != nil {
			t.Fatal(err)
		}
		if err := unmarshal(got.Body, &have); err != nil {
			return []string{fmt.Sprintf("the answer is not JSON: %v", err)}
		}
		if strings.HasPrefix(old.Path, "/reports/") { // the time the report was made
			for _, v := range []any{want, have} {
				if m, ok := v.(map[string]any); ok {
					delete(m, "generated_at")
				}
			}
		}
		return covers(want, have, "$", added)
	case old.Sheets != nil:
		return compareSheets(old.Sheets, got.Body, added)
	case old.Binary != nil:
		if !bytes.Equal(old.Binary, got.Body) {
			return []string{fmt.Sprintf("%d bytes, the old code answered %d other bytes", len(got.Body), len(old.Binary))}
		}
		return nil
	default:
		return compareCSV(old.Text, string(got.Body), added)
	}
}

func unmarshal(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}

// covers lists where have lacks or changes what want holds: every key of
// an object, every element of an array (in its order), every value.
func covers(want, have any, at string, added func(field string)) []string {
	switch w := want.(type) {
	case map[string]any:
		h, ok := have.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %s, the old code answered an object", at, short(have))}
		}
		var out []string
		for k, v := range w {
			hv, ok := h[k]
			if !ok {
				out = append(out, fmt.Sprintf("%s.%s: missing (the old code answered %s)", at, k, short(v)))
				continue
			}
			out = append(out, covers(v, hv, at+"."+k, added)...)
		}
		for k := range h {
			if _, ok := w[k]; !ok {
				added(k)
			}
		}
		return out
	case []any:
		h, ok := have.([]any)
		if !ok || len(h) != len(w) {
			return []string{fmt.Sprintf("%s: %.300s, the old code answered %.300s", at, short(have), short(want))}
		}
		var out []string
		for i := range w {
			out = append(out, covers(w[i], h[i], fmt.Sprintf("%s[%d]", at, i), added)...)
		}
		return out
	default:
		if !reflect.DeepEqual(want, have) {
			return []string{fmt.Sprintf("%s: %s, the old code answered %s", at, short(have), short(want))}
		}
		return nil
	}
}

func short(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// compareCSV compares CSV answers column by column: every column of the old
// one, with its values row by row, named in the header; columns the new
// code adds are noted.
func compareCSV(want, have string, added func(field string)) []string {
	w, err := csv.NewReader(strings.NewReader(want)).ReadAll()
	if err != nil {
		return []string{fmt.Sprintf("the old answer: %v", err)}
	}
	h, err := csv.NewReader(strings.NewReader(have)).ReadAll()
	if err != nil {
		return []string{fmt.Sprintf("the answer is not CSV: %v", err)}
	}
	return compareTable("", w, h, added)
}

// compareTable compares tables whose first row names the columns.
func compareTable(name string, want, have [][]string, added func(field string)) []string {
	if len(want) == 0 {
		if len(have) != 0 {
			return []string{fmt.Sprintf("%s: %d rows, the old code answered none", name, len(have))}
		}
		return nil
	}
	if len(have) != len(want) {
		return []string{fmt.Sprintf("%s: %d rows, the old code answered %d", name, len(have), len(want))}
	}
	var out []string
	for _, col := range have[0] {
		if !slices.Contains(want[0], col) {
			added(col)
		}
	}
	for i, col := range want[0] {
		j := slices.Index(have[0], col)
		if j < 0 {
			out = append(out, fmt.Sprintf("%s: no column %q", name, col))
			continue
		}
		for r := 1; r < len(want); r++ {
			if cell(want[r], i) != cell(have[r], j) {
				out = append(out, fmt.Sprintf("%s row %d, %s: %q, the old code answered %q", name, r, col, cell(have[r], j), cell(want[r], i)))
			}
		}
	}
	return out
}

func cell(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

// compareSheets compares an XLSX answer with the old one's cells: the
// report's tables as compareTable does, and its "Om rapporten" sheet row by
// row, but for when it was made ("Skapad").
func compareSheets(want []sheet, body []byte, added func(field string)) []string {
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		return []string{fmt.Sprintf("the answer is not XLSX: %v", err)}
	}
	defer f.Close()
	var out []string
	for _, s := range want {
		rows, err := f.GetRows(s.Name)
		if err != nil {
			out = append(out, fmt.Sprintf("no sheet %q: %v", s.Name, err))
			continue
		}
		if s.Name != "Om rapporten" {
			out = append(out, compareTable(s.Name, s.Rows, rows, added)...)
			continue
		}
		about := map[string]string{}
		for _, r := range rows {
			about[cell(r, 0)] = cell(r, 1)
		}
		for _, r := range s.Rows {
			if v, ok := about[cell(r, 0)]; cell(r, 0) != "Skapad" && (!ok || v != cell(r, 1)) {
				out = append(out, fmt.Sprintf("%s, %s: %q, the old code answered %q", s.Name, cell(r, 0), v, cell(r, 1)))
			}
		}
	}
	return out
}
