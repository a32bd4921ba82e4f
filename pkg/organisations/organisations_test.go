package organisations_test

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// orgNumber returns a valid, unused organisationsnummer of group g.
func orgNumber(g byte) string { return apptest.OrgNumber(g) }

func create(t *testing.T, env *apptest.Env, token string, req organisations.NewRequest) organisations.Response {
	t.Helper()
	res := env.Do("POST", "/api/v1/organisations", token, req)
	if res.Code != 201 {
		t.Fatalf("create %q: %d %s", req.Name, res.Code, res.Body)
	}
	var o organisations.Response
	res.JSON(t, &o)
	return o
}

func count(env *apptest.Env, table string) int64 {
	var n int64
	env.Owner().Raw("SELECT count(*) FROM " + table).Scan(&n)
	return n
}

func TestCreateAndRead(t *testing.T) {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	num := orgNumber('8')
	res := env.Do("POST", "/api/v1/organisations", editor, organisations.NewRequest{
		Name: "Friskvårdsklubben i Göteborg", OrgNumber: strings.ReplaceAll(num, "-", ""), Sector: "civil_society",
		LegalForm: "ideell_forening", MunicipalityCode: "1480", DistrictIDs: []string{env.Districts["Lundby"]},
		TargetGroups: []string{"psykisk_ohalsa"}, Website: "https://friskvardsklubben.example", Email: "info@friskvard.example", Phone: "031-123 45 67",
	})
	var o organisations.Response
	res.JSON(t, &o)
	if res.Code != 201 || o.OrgNumber != num || o.Version != 1 || res.Header.Get("ETag") != `"1"` || res.Header.Get("Location") != "/api/v1/organisations/"+o.ID {
		t.Fatalf("create: %d %s", res.Code, res.Body)
	}
	got := env.Do("GET", "/api/v1/organisations/"+o.ID, editor, nil)
	if got.Code != 200 || !strings.HasPrefix(got.Header.Get("ETag"), `"1-`) { // version 1, then the answer's hash
		t.Fatalf("get: %d", got.Code)
	}
	if res := env.Do("GET", "/api/v1/organisations/"+uuid.NewString(), editor, nil); res.Code != 404 {
		t.Fatalf("unknown id: %d", res.Code)
	}
	if res := env.Do("GET", "/api/v1/organisations/1%20OR%201=1", editor, nil); res.Code != 404 {
		t.Fatalf("malformed id: %d", res.Code)
	}
	var n int64
	env.Owner().Raw("SELECT count(*) FROM audit_events WHERE action = 'organisation.create' AND entity_id = ?", o.ID).Scan(&n)
	if n != 1 {
		t.Fatalf("%d create audit events", n)
	}
}

func TestInvalidOrganisationsAreRefusedAndNothingIsWritten(t *testing.T) {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	taken := orgNumber('8')
	first := create(t, env, editor, organisations.NewRequest{Name: "Först", OrgNumber: taken, Sector: "civil_society", LegalForm: "ideell_forening"})
	valid := organisations.NewRequest{Name: "Förening", Sector: "civil_society", LegalForm: "ideell_forening"}
	with := func(f func(*organisations.NewRequest)) organisations.NewRequest { r := valid; f(&r); return r }
	tests := []struct {
		name   string
		body   any
		status int
		field  string
		code   string
	}{
		{"bad check digit", with(func(r *organisations.NewRequest) { r.OrgNumber = taken[:10] + string('0'+(taken[10]-'0'+1)%10) }), 422, "org_number", "checksum"},
		{"digits 3–4 below 20", with(func(r *organisations.NewRequest) { r.OrgNumber = "640823-3234" }), 422, "org_number", "group"},
		{"too short", with(func(r *organisations.NewRequest) { r.OrgNumber = "12345" }), 422, "org_number", "format"},
		{"wrong group for form", with(func(r *organisations.NewRequest) { r.OrgNumber = orgNumber('5') }), 422, "org_number", "group_mismatch"},
		{"taken number", with(func(r *organisations.NewRequest) { r.OrgNumber = taken }), 409, "org_number", "taken"},
		{"no name", with(func(r *organisations.NewRequest) { r.Name = " " }), 422, "name", "required"},
		{"overlong name", with(func(r *organisations.NewRequest) { r.Name = strings.Repeat("å", 301) }), 422, "name", "too_long"},
		{"control character", with(func(r *organisations.NewRequest) { r.Name = "a\x07b" }), 422, "name", "control_character"},
		{"unknown sector", with(func(r *organisations.NewRequest) { r.Sector = "mafia" }), 422, "sector", "not_allowed"},
		{"unknown legal form", with(func(r *organisations.NewRequest) { r.LegalForm = "sekt" }), 422, "legal_form", "not_allowed"},
		{"kommun outside public sector", with(func(r *organisations.NewRequest) { r.LegalForm = "kommun" }), 422, "sector", "mismatch"},
		{"unknown municipality", with(func(r *organisations.NewRequest) { r.MunicipalityCode = "0000" }), 422, "municipality_code", "not_found"},
		{"malformed municipality", with(func(r *organisations.NewRequest) { r.MunicipalityCode = "14'80" }), 422, "municipality_code", "invalid_code"},
		{"unknown district", with(func(r *organisations.NewRequest) { r.DistrictIDs = []string{uuid.NewString()} }), 422, "district_ids", "not_found"},
		{"malformed district", with(func(r *organisations.NewRequest) { r.DistrictIDs = []string{"x"} }), 422, "district_ids", "invalid_id"},
		{"unknown parent", with(func(r *organisations.NewRequest) { r.ParentID = uuid.NewString() }), 422, "parent_id", "not_found"},
		{"bad target group", with(func(r *organisations.NewRequest) { r.TargetGroups = []string{"Unga Vuxna!"} }), 422, "target_groups", "invalid_code"},
		{"bad website", with(func(r *organisations.NewRequest) { r.Website = "javascript:alert(1)" }), 422, "website", "invalid_url"},
		{"bad e-mail", with(func(r *organisations.NewRequest) { r.Email = "inte@" }), 422, "email", "invalid_email"},
		{"bad phone", with(func(r *organisations.NewRequest) { r.Phone = "ring mig" }), 422, "phone", "invalid_phone"},
		{"protected field", `{"name":"x","sector":"public","legal_form":"kommun","version":5}`, 400, "version", "unknown_field"},
		{"archived field", `{"name":"x","sector":"public","legal_form":"kommun","archived":true}`, 400, "archived", "unknown_field"},
		{"wrong type", `{"name":"x","sector":"public","legal_form":"kommun","district_ids":"all"}`, 400, "district_ids", "wrong_type"},
	}
	before := count(env, "organisations")
	for _, tt := range tests {
		res := env.Do("POST", "/api/v1/organisations", editor, tt.body)
		if res.Code != tt.status {
			t.Errorf("%s: %d %s", tt.name, res.Code, res.Body)
			continue
		}
		p := res.Problem(t)
		if len(p.Errors) == 0 || p.Errors[0].Field != tt.field || p.Errors[0].Code != tt.code {
			t.Errorf("%s: errors %+v, want %s/%s", tt.name, p.Errors, tt.field, tt.code)
		}
		if tt.status == 409 && p.ExistingID != first.ID {
			t.Errorf("%s: existing_id %q, want %s", tt.name, p.ExistingID, first.ID)
		}
	}
	if after := count(env, "organisations"); after != before {
		t.Fatalf("refused requests wrote %d rows", after-before)
	}
}

func TestSoleTradersNumberIsMasked(t *testing.T) {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	_, viewer := env.NewUser(auth.RoleViewer)
	name := strings.ReplaceAll(apptest.Unique("Frilans"), "-", "")
	o := create(t, env, editor, organisations.NewRequest{Name: name, OrgNumber: "196408233234", Sector: "business", LegalForm: "enskild_firma"})
	if o.OrgNumber != "640823-3234" {
		t.Fatalf("the editor's answer: %q", o.OrgNumber)
	}
	var got organisations.Response
	env.Do("GET", "/api/v1/organisations/"+o.ID, viewer, nil).JSON(t, &got)
	if got.OrgNumber != "******-****" {
		t.Fatalf("a viewer sees %q", got.OrgNumber)
	}
	var list organisations.List
	env.Do("GET", "/api/v1/organisations?q="+name, editor, nil).JSON(t, &list)
	if len(list.Items) != 1 || list.Items[0].OrgNumber != "******-****" {
		t.Fatalf("list: %+v", list.Items)
	}
	csvRes := env.Do("GET", "/api/v1/organisations?q="+name, editor, nil, apptest.H("Accept", "text/csv"))
	if strings.Contains(string(csvRes.Body), "3234") {
		t.Fatal("the CSV shows the personnummer")
	}
}

func TestListFiltersSearchAndCSV(t *testing.T) {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	tag := strings.ReplaceAll(apptest.Unique("grupp"), "-", "_")
	a := create(t, env, editor, organisations.NewRequest{Name: "Räddningsmissionen " + tag, Sector: "civil_society", LegalForm: "ovrig",
		MunicipalityCode: "1480", DistrictIDs: []string{env.Districts["Angered"]}, TargetGroups: []string{tag},
		Description: "Driver boenden för ensamkommande ungdomar"})
	b := create(t, env, editor, organisations.NewRequest{Name: "Yalla Trappan " + tag, Sector: "business", LegalForm: "ekonomisk_forening",
		MunicipalityCode: "1490", TargetGroups: []string{tag}})
	ids := func(q string) []string {
		t.Helper()
		res := env.Do("GET", "/api/v1/organisations?target_group="+tag+"&"+q, editor, nil)
		if res.Code != 200 {
			t.Fatalf("%s: %d %s", q, res.Code, res.Body)
		}
		var l organisations.List
		res.JSON(t, &l)
		var out []string
		for _, o := range l.Items {
			out = append(out, o.ID)
		}
		return out
	}
	cases := map[string][]string{
		"":                                     {a.ID, b.ID},
		"sector=business":                      {b.ID},
		"legal_form=ovrig":                     {a.ID},
		"municipality=1480":                    {a.ID},
		"district=" + env.Districts["Angered"]: {a.ID},
		"q=ungdom":                             {a.ID}, // Swedish stemming: "ungdomar" has the stem "ungdom"
		"q=räddn":                              {a.ID}, // a prefix
		"q=yalla%20trap":                       {b.ID},
		"q=%27%3B%20DROP%20TABLE%20users":      nil,
		"sort=-name":                           {b.ID, a.ID},
		"updated_since=2000-01-01T00:00:00Z":   {a.ID, b.ID},
		"updated_since=2999-01-01T00:00:00Z":   nil,
	}
	for q, want := range cases {
		if got := ids(q); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%q: %v, want %v", q, got, want)
		}
	}
	res := env.Do("GET", "/api/v1/organisations?format=csv&target_group="+tag, editor, nil)
	if res.Code != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %v", res.Code, res.Header)
	}
	rows, err := csv.NewReader(strings.NewReader(string(res.Body))).ReadAll()
	if err != nil || len(rows) != 3 || rows[0][1] != "name" || rows[1][0] != a.ID {
		t.Fatalf("csv rows %v, %v", rows, err)
	}
}

func TestPaginationStaysStableWhileRowsAreInserted(t *testing.T) {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	tag := strings.ReplaceAll(apptest.Unique("sida"), "-", "_")
	var want []string
	for i := 0; i < 7; i++ {
		o := create(t, env, editor, organisations.NewRequest{Name: fmt.Sprintf("Org %02d", i*2), Sector: "civil_society", LegalForm: "ovrig", TargetGroups: []string{tag}})
		want = append(want, o.ID)
	}
	var seen []string
	cursor := ""
	for page := 0; ; page++ {
		res := env.Do("GET", "/api/v1/organisations?limit=3&target_group="+tag+"&cursor="+cursor, editor, nil)
		var l organisations.List
		res.JSON(t, &l)
		for _, o := range l.Items {
			seen = append(seen, o.ID)
		}
		// Rows inserted before the cursor must not shift the pages after it.
		create(t, env, editor, organisations.NewRequest{Name: fmt.Sprintf("Org %02d", -1+page), Sector: "civil_society", LegalForm: "ovrig", TargetGroups: []string{tag}})
		if l.NextCursor == "" {
			break
		}
		cursor = l.NextCursor
	}
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Fatalf("pages gave %v, want %v", seen, want)
	}
}

func TestUpdateNeedsTheCurrentVersion(t *testing.T) {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	o := create(t, env, editor, organisations.NewRequest{Name: "Caritas", Sector: "civil_society", LegalForm: "ovrig", Description: "Språkträning"})
	path := "/api/v1/organisations/" + o.ID
	if res := env.Do("PATCH", path, editor, map[string]string{"name": "X"}); res.Code != 428 {
		t.Fatalf("no If-Match: %d", res.Code)
	}
	res := env.Do("PATCH", path, editor, map[string]any{"description": "", "target_groups": []string{"asylsokande"}}, apptest.H("If-Match", `"1"`))
	var got organisations.Response
	res.JSON(t, &got)
	if res.Code != 200 || got.Version != 2 || got.Description != "" || got.Name != "Caritas" || len(got.TargetGroups) != 1 {
		t.Fatalf("PATCH: %d %s", res.Code, res.Body)
	}
	if res := env.Do("PATCH", path, editor, map[string]string{"name": "Y"}, apptest.H("If-Match", `"1"`)); res.Code != 412 {
		t.Fatalf("stale: %d", res.Code)
	}
	if res := env.Do("PATCH", path, editor, map[string]string{"parent_id": o.ID}, apptest.H("If-Match", `"2"`)); res.Code != 422 {
		t.Fatalf("own parent: %d", res.Code)
	}
	child := create(t, env, editor, organisations.NewRequest{Name: "Caritas Väst", Sector: "civil_society", LegalForm: "ovrig", ParentID: o.ID})
	if res := env.Do("PATCH", path, editor, map[string]string{"parent_id": child.ID}, apptest.H("If-Match", `"2"`)); res.Code != 422 {
		t.Fatalf("a loop of parents: %d %s", res.Code, res.Body)
	}
}

func TestConcurrentUpdatesExactlyOneWins(t *testing.T) {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	o := create(t, env, editor, organisations.NewRequest{Name: "Skyddsvärnet", Sector: "civil_society", LegalForm: "ovrig"})
	const n = 20
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = env.Do("PATCH", "/api/v1/organisations/"+o.ID, editor, map[string]string{"description": fmt.Sprint("skrivare ", i)}, apptest.H("If-Match", `"1"`)).Code
		}()
	}
	wg.Wait()
	won, stale := 0, 0
	for _, c := range codes {
		switch c {
		case 200:
			won++
		case 412:
			stale++
		}
	}
	var version int
	env.Owner().Raw("SELECT version FROM organisations WHERE id = ?", o.ID).Scan(&version)
	if won != 1 || stale != n-1 || version != 2 {
		t.Fatalf("%d won, %d stale, version %d: %v", won, stale, version, codes)
	}
}

func TestArchiveAndRestore(t *testing.T) {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	_, admin := env.NewUser(auth.RoleAdmin)
	tag := strings.ReplaceAll(apptest.Unique("arkiv"), "-", "_")
	o := create(t, env, editor, organisations.NewRequest{Name: "Reningsborg", Sector: "civil_society", LegalForm: "ovrig", TargetGroups: []string{tag}})
	path := "/api/v1/organisations/" + o.ID
	if res := env.Do("DELETE", path, editor, nil); res.Code != 428 {
		t.Fatalf("DELETE without If-Match: %d", res.Code)
	}
	res := env.Do("DELETE", path, editor, nil, apptest.H("If-Match", `"1"`))
	var got organisations.Response
	res.JSON(t, &got)
	if res.Code != 200 || !got.Archived || got.Version != 2 {
		t.Fatalf("archive: %d %s", res.Code, res.Body)
	}
	if res := env.Do("DELETE", path, editor, nil, apptest.H("If-Match", `"2"`)); res.Code != 409 {
		t.Fatalf("archive twice: %d", res.Code)
	}
	var l organisations.List
	env.Do("GET", "/api/v1/organisations?target_group="+tag, editor, nil).JSON(t, &l)
	if len(l.Items) != 0 {
		t.Fatal("an archived organisation is listed")
	}
	env.Do("GET", "/api/v1/organisations?include_archived=true&target_group="+tag, editor, nil).JSON(t, &l)
	if len(l.Items) != 1 {
		t.Fatal("include_archived does not list it")
	}
	if res := env.Do("POST", path+"/restore", editor, nil, apptest.H("If-Match", `"2"`)); res.Code != 403 {
		t.Fatalf("an editor restored: %d", res.Code)
	}
	if res := env.Do("POST", path+"/restore", admin, nil, apptest.H("If-Match", `"2"`)); res.Code != 200 {
		t.Fatalf("restore: %d %s", res.Code, res.Body)
	}
	var exists bool
	env.Owner().Raw("SELECT EXISTS (SELECT 1 FROM organisations WHERE id = ? AND archived_at IS NULL)", o.ID).Scan(&exists)
	if !exists {
		t.Fatal("the row is gone or still archived")
	}
}

func TestIdempotencyKey(t *testing.T) {
	env := apptest.New(t)
	editorUser, editor := env.NewUser(auth.RoleEditor)
	_, other := env.NewUser(auth.RoleEditor)
	key := apptest.H("Idempotency-Key", apptest.Unique("nyckel"))
	body := organisations.NewRequest{Name: apptest.Unique("KFUM"), Sector: "civil_society", LegalForm: "ideell_forening"}
	first := env.Do("POST", "/api/v1/organisations", editor, body, key)
	again := env.Do("POST", "/api/v1/organisations", editor, body, key)
	if first.Code != 201 || again.Code != 201 || string(first.Body) != string(again.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %d %s", first.Code, again.Code, again.Body)
	}
	var n int64
	env.Owner().Raw("SELECT count(*) FROM organisations WHERE name = ?", body.Name).Scan(&n)
	if n != 1 {
		t.Fatalf("%d rows for one idempotent request", n)
	}
	changed := body
	changed.Description = "annan"
	if res := env.Do("POST", "/api/v1/organisations", editor, changed, key); res.Code != 422 || res.Problem(t).Code != "idempotency_key_reused" {
		t.Fatalf("same key, other body: %d %s", res.Code, res.Body)
	}
	// Another principal's key space is its own: no access to the first answer.
	if res := env.Do("POST", "/api/v1/organisations", other, body, key); res.Header.Get("Idempotent-Replayed") != "" {
		t.Fatal("another user got the first user's answer")
	}
	// A key still in progress answers 409.
	busy := apptest.Unique("busy")
	raw, _ := json.Marshal(body)
	hash := sha256.Sum256(append([]byte("POST /api/v1/organisations\n"), raw...))
	env.Owner().Exec("INSERT INTO idempotency_keys (principal, key, request_hash, instance) VALUES (?, ?, ?, ?)", "user:"+editorUser.ID, busy, hash[:], env.App.Instance.ID)
	if res := env.Do("POST", "/api/v1/organisations", editor, body, apptest.H("Idempotency-Key", busy)); res.Code != 409 {
		t.Fatalf("key in progress: %d", res.Code)
	}
	if res := env.Do("POST", "/api/v1/organisations", editor, body, apptest.H("Idempotency-Key", strings.Repeat("x", 300))); res.Code != http.StatusBadRequest {
		t.Fatalf("overlong key: %d", res.Code)
	}
}
