package imports_test

import (
	"archive/zip"
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/app"
	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/imports"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func upload(env *apptest.Env, token, query string, data []byte) apptest.Response {
	return env.Upload("/api/v1/imports?"+query, token, "data.csv", data)
}

// TestExportImportExportIsIdentical exports the demo's organisations,
// imports them into an empty database (with the same geography) and exports
// again: the two files are the same. What is copied behind the service's
// back is read in the demo tenant's scope and written in the other
// database's tenant's, as the service would.
func TestExportImportExportIsIdentical(t *testing.T) {
	ctx := context.Background()
	src := dbtest.Fresh(t)
	if _, err := app.LoadDemo(ctx, src, apptest.CheapPasswords); err != nil {
		t.Fatal(err)
	}
	dst := dbtest.Fresh(t)
	from, to := apptest.Over(t, src), apptest.Over(t, dst)
	read := src.WithContext(from.Context())
	to.Within(to.Tenant, func(ctx context.Context) error {
		copyRows(t, read, dst.WithContext(ctx), "municipalities", "code, name, county_code")
		copyRows(t, read, dst.WithContext(ctx), "districts", "id, municipality_code, name")
		return nil
	})

	export := func(env *apptest.Env, token string) []byte {
		res := env.Do("GET", "/api/v1/organisations?include_archived=true&sort=name", token, nil, apptest.H("Accept", "text/csv"))
		if res.Code != 200 {
			t.Fatalf("export: %d", res.Code)
		}
		return res.Body
	}
	_, a1 := from.NewUser(auth.RoleAdmin)
	first := export(from, a1)

	_, a2 := to.NewUser(auth.RoleAdmin)
	dry := upload(to, a2, "type=organisations&dry_run=true", first)
	var r imports.Result
	dry.JSON(t, &r)
	if dry.Code != 200 || r.Committed || len(r.Errors) != 0 || r.Created != strings.Count(string(first), "\n")-1 {
		t.Fatalf("dry run: %d %s", dry.Code, dry.Body)
	}
	var n int64
	dst.Raw("SELECT count(*) FROM organisations").Scan(&n)
	if n != 0 {
		t.Fatalf("a dry run wrote %d rows", n)
	}
	res := upload(to, a2, "type=organisations", first)
	res.JSON(t, &r)
	if res.Code != 200 || !r.Committed {
		t.Fatalf("import: %d %s", res.Code, res.Body)
	}
	if second := export(to, a2); !bytes.Equal(first, second) {
		t.Fatalf("export → import → export differs:\n%s\n---\n%s", first, second)
	}

	// Partnerships likewise, on top of the organisations and code lists.
	to.Within(to.Tenant, func(ctx context.Context) error {
		var goals []struct{ Code, LabelSv, LabelEn, GoalSet string }
		read.Raw("SELECT code, label_sv, label_en, goal_set FROM code_list_entries WHERE list = 'policy_goals' AND goal_set <> 'agenda2030'").Scan(&goals)
		for _, g := range goals {
			if err := dst.WithContext(ctx).Exec("INSERT INTO code_list_entries (list, code, label_sv, label_en, goal_set, municipality_code) VALUES ('policy_goals', ?, ?, ?, ?, '1480')",
				g.Code, g.LabelSv, g.LabelEn, g.GoalSet).Error; err != nil {
				t.Fatal(err)
			}
		}
		return dst.WithContext(ctx).Exec("UPDATE municipalities SET abbreviation = 'GBG' WHERE code = '1480'").Error
	})
	exportP := func(env *apptest.Env, token string) []byte {
		res := env.Do("GET", "/api/v1/partnerships?include_archived=true&sort=reference", token, nil, apptest.H("Accept", "text/csv"))
		if res.Code != 200 {
			t.Fatalf("export: %d %s", res.Code, res.Body)
		}
		return res.Body
	}
	p1 := exportP(from, a1)
	if res := upload(to, a2, "type=partnerships", p1); res.Code != 200 {
		t.Fatalf("partnership import: %d %s", res.Code, res.Body)
	}
	if p2 := exportP(to, a2); !bytes.Equal(p1, p2) {
		t.Fatalf("partnerships differ:\n%s\n---\n%s", p1, p2)
	}

	// Allocations and measurements, on top of the sources and indicators
	// (which have no import of their own) copied across.
	to.Within(to.Tenant, func(ctx context.Context) error {
		copyRows(t, read, dst.WithContext(ctx), "funding_sources", "id, name, kind, provider_organisation_id, programme")
		copyRows(t, read, dst.WithContext(ctx), "indicator_definitions", "id, code, name_sv, name_en, unit, result_level, direction")
		copyRows(t, read, dst.WithContext(ctx), "indicators", "id, partnership_id, definition_id, name, unit, result_level, direction, aggregation, baseline, district_id, target_group")
		return nil
	})
	for _, c := range []struct{ typ, path string }{{"allocations", "/api/v1/allocations"}, {"measurements", "/api/v1/measurements?status=all"}} {
		get := func(env *apptest.Env, token string) []byte {
			res := env.Do("GET", c.path, token, nil, apptest.H("Accept", "text/csv"))
			if res.Code != 200 {
				t.Fatalf("export %s: %d %s", c.typ, res.Code, res.Body)
			}
			return res.Body
		}
		one := get(from, a1)
		if strings.Count(string(one), "\n") < 3 {
			t.Fatalf("%s: almost nothing exported:\n%s", c.typ, one)
		}
		if res := upload(to, a2, "type="+c.typ, one); res.Code != 200 {
			t.Fatalf("%s import: %d %s", c.typ, res.Code, res.Body)
		}
		if two := get(to, a2); !bytes.Equal(one, two) {
			t.Fatalf("%s differ:\n%s\n---\n%s", c.typ, one, two)
		}
	}
}

// copyRows copies a table's columns from one database to another, each
// read and written as from and to are scoped.
func copyRows(t *testing.T, from, to *gorm.DB, table, columns string) {
	t.Helper()
	rows, err := from.Raw("SELECT " + columns + " FROM " + table).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := strings.Count(columns, ",") + 1
	marks := strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
	for rows.Next() {
		vals := make([]any, n)
		ptrs := make([]any, n)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		if err := to.Exec("INSERT INTO "+table+" ("+columns+") VALUES ("+marks+")", vals...).Error; err != nil {
			t.Fatalf("copy %s: %v", table, err)
		}
	}
}

func TestBadRowsAreListedAndNothingIsWritten(t *testing.T) {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	_, viewer := env.NewUser(auth.RoleViewer)
	csv := "name,org_number,sector,legal_form,municipality_code\n" +
		"Bra förening,,civil_society,ideell_forening,1480\n" +
		"Fel nummer,556036-0794,business,aktiebolag,1480\n" +
		",,civil_society,ideell_forening,1480\n" +
		"Okänd kommun,,civil_society,ovrig,0001\n"
	res := upload(env, editor, "type=organisations", []byte(csv))
	if res.Code != 422 {
		t.Fatalf("import with bad rows: %d %s", res.Code, res.Body)
	}
	var body struct {
		Code   string
		Errors []imports.RowError
	}
	res.JSON(t, &body)
	var got []string
	for _, e := range body.Errors {
		got = append(got, strings.Join([]string{string(rune('0' + e.Row)), e.Column, e.Code}, "/"))
	}
	if body.Code != "import_failed" || strings.Join(got, " ") != "3/org_number/checksum 4/name/required 5/municipality_code/not_found" {
		t.Fatalf("errors: %v (%s)", got, res.Body)
	}
	var n int64
	env.Owner().Raw("SELECT count(*) FROM organisations WHERE name = 'Bra förening'").Scan(&n)
	if n != 0 {
		t.Fatal("a failed import wrote the good row")
	}
	if res := upload(env, viewer, "type=organisations", []byte(csv)); res.Code != 403 {
		t.Fatalf("a viewer imports: %d", res.Code)
	}
	if res := upload(env, editor, "type=planets", []byte(csv)); res.Code != 400 {
		t.Fatalf("unknown type: %d", res.Code)
	}
	if res := upload(env, editor, "type=organisations", []byte("\xff\xfe")); res.Code != 422 {
		t.Fatalf("not UTF-8: %d", res.Code)
	}

	// The same rows, corrected, as a workbook.
	x := excelize.NewFile()
	for i, row := range [][]any{{"name", "sector", "legal_form", "municipality_code"}, {"Från Excel " + apptest.Unique("x"), "civil_society", "ovrig", "1480"}} {
		x.SetSheetRow("Sheet1", "A"+string(rune('1'+i)), &row)
	}
	var buf bytes.Buffer
	x.Write(&buf)
	res = upload(env, editor, "type=organisations", buf.Bytes())
	var r imports.Result
	res.JSON(t, &r)
	if res.Code != 200 || r.Created != 1 {
		t.Fatalf("xlsx import: %d %s", res.Code, res.Body)
	}
}

// TestOneAuditEventPerCommittedChange: an import writes one event per
// organisation it creates, in its transaction; an import that fails at its last row
// (a number already taken) is rolled back whole, events and all.
func TestOneAuditEventPerCommittedChange(t *testing.T) {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	events := func() (n int64) {
		env.Owner().Raw("SELECT count(*) FROM audit_events WHERE entity_type = 'organisation'").Scan(&n)
		return n
	}
	taken := apptest.OrgNumber('8')
	first, second := apptest.Unique("Första"), apptest.Unique("Andra")
	ok := "name,org_number,sector,legal_form,municipality_code\n" + first + "," + taken + ",civil_society,ideell_forening,1480\n" +
		second + ",,civil_society,ideell_forening,1480\n"
	before := events()
	if res := upload(env, editor, "type=organisations", []byte(ok)); res.Code != 200 {
		t.Fatalf("import: %d %s", res.Code, res.Body)
	}
	var perRow []int64
	env.Owner().Raw(`SELECT count(*) FROM organisations o JOIN audit_events e ON e.entity_type = 'organisation' AND e.entity_id = o.id::text
		WHERE o.name IN (?, ?) GROUP BY o.id`, first, second).Scan(&perRow)
	if events()-before != 2 || len(perRow) != 2 || perRow[0] != 1 || perRow[1] != 1 {
		t.Fatalf("%d events for 2 rows (per row %v)", events()-before, perRow)
	}

	before = events()
	third := apptest.Unique("Tredje")
	bad := "name,org_number,sector,legal_form,municipality_code\n" + third + ",,civil_society,ideell_forening,1480\n" +
		apptest.Unique("Dubblett") + "," + taken + ",civil_society,ideell_forening,1480\n"
	if res := upload(env, editor, "type=organisations", []byte(bad)); res.Code < 400 || res.Code >= 500 {
		t.Fatalf("import of a taken number: %d %s", res.Code, res.Body)
	}
	var n int64
	env.Owner().Raw("SELECT count(*) FROM organisations WHERE name = ?", third).Scan(&n)
	if n != 0 || events() != before {
		t.Fatalf("a rolled-back import left %d organisations and %d events", n, events()-before)
	}
}

// FuzzReadTable reads arbitrary bytes as a CSV or a workbook: a file that
// cannot be read is an error, never a crash.
func FuzzReadTable(f *testing.F) {
	f.Add([]byte("name,org_number\nFöreningen,802000-0000\n"))
	f.Add([]byte("\xef\xbb\xbfname;sector\n\"a,b\",x\n"))
	f.Add([]byte("PK\x03\x04garbage"))
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"name", "sector"})
	var buf bytes.Buffer
	x.Write(&buf)
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := imports.ReadTable(data)
		if err == nil && rows == nil && len(bytes.TrimSpace(data)) > 0 {
			t.Logf("no rows and no error for %q", data)
		}
	})
}

// FuzzImport sends arbitrary files to the importer of each kind, as an
// editor, as dry runs and real ones: every answer is a result or a
// problem the caller can act on, never a 500.
func FuzzImport(f *testing.F) {
	env := apptest.New(f)
	_, editor := env.NewUser(auth.RoleEditor)
	f.Add(uint8(0), false, []byte("name,sector,legal_form,municipality_code\nFörening,civil_society,ideell_forening,1480\n"))
	f.Add(uint8(1), true, []byte("title,form,municipality_code,start_date,end_date\nSamverkan,iop,1480,2025-01-01,2024-01-01\n"))
	f.Add(uint8(2), true, []byte("partnership_id,source_id,recipient_organisation_id,fiscal_year,applied_ore\nx,y,z,2025,-5\n"))
	f.Add(uint8(3), true, []byte("indicator_id,period_start,period_end,value\n,2025-01-01,2025-03-31,1e400\n"))
	f.Fuzz(func(t *testing.T, kind uint8, dry bool, data []byte) {
		e := *env
		e.T = t
		q := "type=" + imports.Types[int(kind)%len(imports.Types)]
		if dry {
			q += "&dry_run=true"
		}
		if res := upload(&e, editor, q, data); res.Code >= 500 {
			t.Fatalf("%s with %q: %d %s", q, data, res.Code, res.Body)
		}
	})
}

// TestAZipBombIsRefused: a workbook of a few hundred kilobytes whose sheet
// unpacks to more than ten times the largest import is refused, not read.
func TestAZipBombIsRefused(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, part := range []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`},
		{"xl/workbook.xml", `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>`},
	} {
		w, _ := zw.Create(part.name)
		w.Write([]byte(part.body))
	}
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate})
	spaces := bytes.Repeat([]byte(" "), 1<<20)
	for range 10*imports.MaxSize>>20 + 1 {
		w.Write(spaces)
	}
	zw.Close()
	if buf.Len() > 1<<20 {
		t.Fatalf("the bomb is %d bytes", buf.Len())
	}
	if _, err := imports.ReadTable(buf.Bytes()); err == nil || !strings.Contains(err.Error(), "exceeds") {
		t.Fatalf("a %d-byte workbook unpacking to %d MiB was read (%v)", buf.Len(), 10*imports.MaxSize>>20+1, err)
	}
}
