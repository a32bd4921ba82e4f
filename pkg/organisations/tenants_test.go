package organisations_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/geography"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/tenants"
)

// boras is env as a second tenant, Borås, with a district of its own.
func boras(t *testing.T, env *apptest.Env) (*apptest.Env, string) {
	t.Helper()
	tenant, err := env.App.Tenants.Ensure(context.Background(), tenants.KindMunicipality, "1490", "Borås Stad", "212000-1561", "#00843d")
	if err != nil {
		t.Fatal(err)
	}
	b := *env
	b.Tenant = tenant.ID
	var district string
	b.Within(tenant.ID, func(ctx context.Context) error {
		d, err := env.App.Geo.CreateDistrict(ctx, auth.System.Actor(), geography.NewDistrictRequest{MunicipalityCode: "1490", Name: apptest.Unique("Norrby")})
		district = d.ID
		return err
	})
	return &b, district
}

func get(t *testing.T, env *apptest.Env, token, id string) organisations.Response {
	t.Helper()
	res := env.Do("GET", "/api/v1/organisations/"+id, token, nil)
	if res.Code != 200 {
		t.Fatalf("GET %s: %d %s", id, res.Code, res.Body)
	}
	var o organisations.Response
	res.JSON(t, &o)
	return o
}

func listIDs(t *testing.T, env *apptest.Env, token, query string) []string {
	t.Helper()
	res := env.Do("GET", "/api/v1/organisations?"+query, token, nil)
	if res.Code != 200 {
		t.Fatalf("list %s: %d %s", query, res.Code, res.Body)
	}
	var l organisations.List
	res.JSON(t, &l)
	var out []string
	for _, o := range l.Items {
		out = append(out, o.ID)
	}
	return out
}

// TestTenantsClassifyTheSameOrganisationEachTheirOwn: one national record,
// two tenants' classifications and notes, each seen only by its tenant; a
// change of the record moves both tenants' versions, a change of one
// tenant's profile only that tenant's.
func TestTenantsClassifyTheSameOrganisationEachTheirOwn(t *testing.T) {
	env := apptest.New(t)
	b, norrby := boras(t, env)
	_, gbg := env.NewUser(auth.RoleEditor)
	_, bor := b.NewUser(auth.RoleEditor)
	gTag := strings.ReplaceAll(apptest.Unique("gbg"), "-", "_")
	bTag := strings.ReplaceAll(apptest.Unique("bor"), "-", "_")

	o := create(t, env, gbg, organisations.NewRequest{Name: "Stadsmissionen " + gTag, Sector: "civil_society", LegalForm: "stiftelse",
		MunicipalityCode: "1480", DistrictIDs: []string{env.Districts["Lundby"]}, TargetGroups: []string{gTag}, Notes: "Göteborgs anteckning"})
	if o.Version != 1 || o.Notes != "Göteborgs anteckning" {
		t.Fatalf("created: %+v", o)
	}

	// Borås finds the record, with nothing of Göteborg's.
	seen := get(t, b, bor, o.ID)
	if seen.Name != o.Name || len(seen.DistrictIDs) != 0 || len(seen.TargetGroups) != 0 || seen.Notes != "" || seen.Version != 1 {
		t.Fatalf("Borås sees %+v", seen)
	}
	// Borås places it in its own district (the seat is Göteborg's: no matter).
	res := b.Do("PATCH", "/api/v1/organisations/"+o.ID, bor, map[string]any{"district_ids": []string{norrby},
		"target_groups": []string{bTag}, "notes": "Borås anteckning"}, apptest.H("If-Match", `"1"`))
	if res.Code != 200 {
		t.Fatalf("Borås classifies: %d %s", res.Code, res.Body)
	}
	res.JSON(t, &seen)
	if seen.Version != 2 || seen.Notes != "Borås anteckning" || fmt.Sprint(seen.DistrictIDs) != fmt.Sprint([]string{norrby}) {
		t.Fatalf("Borås's answer: %+v", seen)
	}
	// Göteborg's view is as it was, version and all.
	mine := get(t, env, gbg, o.ID)
	if mine.Version != 1 || mine.Notes != "Göteborgs anteckning" || fmt.Sprint(mine.TargetGroups) != fmt.Sprint([]string{gTag}) ||
		fmt.Sprint(mine.DistrictIDs) != fmt.Sprint([]string{env.Districts["Lundby"]}) {
		t.Fatalf("Göteborg sees %+v", mine)
	}
	for _, tc := range []struct {
		name   string
		env    *apptest.Env
		token  string
		query  string
		listed bool
	}{
		{"Göteborg by its target group", env, gbg, "target_group=" + gTag, true},
		{"Göteborg by Borås's target group", env, gbg, "target_group=" + bTag, false},
		{"Göteborg by its district", env, gbg, "target_group=" + gTag + "&district=" + env.Districts["Lundby"], true},
		{"Göteborg by Borås's district", env, gbg, "district=" + norrby, false},
		{"Borås by its target group", b, bor, "target_group=" + bTag, true},
		{"Borås by Göteborg's target group", b, bor, "target_group=" + gTag, false},
		{"Borås by its district", b, bor, "district=" + norrby, true},
		{"Borås by Göteborg's district", b, bor, "district=" + env.Districts["Lundby"], false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := slices.Contains(listIDs(t, tc.env, tc.token, tc.query), o.ID); got != tc.listed {
				t.Errorf("listed %v, want %v", got, tc.listed)
			}
		})
	}
	csv := b.Do("GET", "/api/v1/organisations?format=csv&target_group="+bTag, bor, nil)
	if !strings.Contains(string(csv.Body), "Borås anteckning") || strings.Contains(string(csv.Body), "Göteborgs anteckning") {
		t.Fatalf("Borås's export: %s", csv.Body)
	}
	// Göteborg may not classify with Borås's district: to Göteborg there is none.
	res = env.Do("PATCH", "/api/v1/organisations/"+o.ID, gbg, map[string]any{"district_ids": []string{norrby}}, apptest.H("If-Match", `"1"`))
	if res.Code != 422 || res.Problem(t).Errors[0].Code != "not_found" {
		t.Fatalf("Göteborg with Borås's district: %d %s", res.Code, res.Body)
	}

	// A change of the national record moves both tenants' versions.
	res = env.Do("PATCH", "/api/v1/organisations/"+o.ID, gbg, map[string]string{"website": "https://stadsmissionen.example"}, apptest.H("If-Match", `"1"`))
	if res.Code != 200 {
		t.Fatalf("Göteborg changes the record: %d %s", res.Code, res.Body)
	}
	if seen = get(t, b, bor, o.ID); seen.Version != 3 || seen.Website != "https://stadsmissionen.example" || seen.Notes != "Borås anteckning" {
		t.Fatalf("Borås after Göteborg's change: %+v", seen)
	}
	if res := b.Do("PATCH", "/api/v1/organisations/"+o.ID, bor, map[string]string{"notes": "sent"}, apptest.H("If-Match", `"2"`)); res.Code != 412 {
		t.Fatalf("Borås with the version before Göteborg's change: %d %s", res.Code, res.Body)
	}

	var rows []struct {
		TenantID string
		Notes    string
	}
	env.Owner().Raw("SELECT tenant_id::text, notes FROM organisation_profiles WHERE organisation_id = ? ORDER BY notes", o.ID).Scan(&rows)
	if len(rows) != 2 || rows[0].TenantID != b.Tenant || rows[1].TenantID != env.Tenant {
		t.Fatalf("profiles %+v", rows)
	}
}

// TestADuplicateNumberNamesTheOrganisationThatHasIt: the register is
// national, so another tenant's organisation with the same number is the
// one to refer to; the 409 names its id and shows nothing else of it.
func TestADuplicateNumberNamesTheOrganisationThatHasIt(t *testing.T) {
	env := apptest.New(t)
	b, _ := boras(t, env)
	_, gbg := env.NewUser(auth.RoleEditor)
	_, bor := b.NewUser(auth.RoleEditor)
	number := orgNumber('8')
	o := create(t, env, gbg, organisations.NewRequest{Name: apptest.Unique("Hemlig förening"), OrgNumber: number, Sector: "civil_society",
		LegalForm: "ideell_forening", Description: "beskrivning", Notes: "göteborgs egen anteckning"})
	contact := env.Do("POST", "/api/v1/organisations/"+o.ID+"/contacts", gbg, organisations.NewContactRequest{Name: "Kerstin Kontakt"})
	if contact.Code != 201 {
		t.Fatalf("contact: %d", contact.Code)
	}
	before := count(env, "organisations")

	for _, tc := range []struct {
		name   string
		number string
	}{
		{"as written", number},
		{"without the hyphen", strings.ReplaceAll(number, "-", "")},
		{"with the century", "16" + strings.ReplaceAll(number, "-", "")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := b.Do("POST", "/api/v1/organisations", bor, organisations.NewRequest{Name: "Samma förening", OrgNumber: tc.number,
				Sector: "civil_society", LegalForm: "ideell_forening"})
			if res.Code != 409 {
				t.Fatalf("%d %s", res.Code, res.Body)
			}
			p := res.Problem(t)
			if p.Code != "duplicate_org_number" || p.ExistingID != o.ID || len(p.Errors) != 1 || p.Errors[0].Field != "org_number" {
				t.Fatalf("problem %+v", p)
			}
			for _, secret := range []string{o.Name, "beskrivning", "göteborgs egen anteckning", "Kerstin"} {
				if strings.Contains(string(res.Body), secret) {
					t.Errorf("the 409 shows %q: %s", secret, res.Body)
				}
			}
		})
	}
	if after := count(env, "organisations"); after != before {
		t.Fatalf("the refused creations wrote %d organisations", after-before)
	}
	// Borås refers to it: the record, none of Göteborg's own.
	seen := get(t, b, bor, o.ID)
	if seen.OrgNumber != number || seen.Notes != "" {
		t.Fatalf("Borås sees %+v", seen)
	}
	var l organisations.ContactList
	b.Do("GET", "/api/v1/organisations/"+o.ID+"/contacts", bor, nil).JSON(t, &l)
	if len(l.Items) != 0 {
		t.Fatalf("Borås sees Göteborg's contacts: %+v", l.Items)
	}
	// Changing another organisation's number to the taken one: the same 409.
	other := create(t, b, bor, organisations.NewRequest{Name: apptest.Unique("Annan"), Sector: "civil_society", LegalForm: "ideell_forening"})
	res := b.Do("PATCH", "/api/v1/organisations/"+other.ID, bor, map[string]string{"org_number": number}, apptest.H("If-Match", `"1"`))
	if res.Code != 409 || res.Problem(t).ExistingID != o.ID {
		t.Fatalf("update to a taken number: %d %s", res.Code, res.Body)
	}
}

// TestContactsAreTheTenants: contact persons are personal data of the
// tenant that recorded them. Another tenant, who shares the organisation,
// reaches none of them by id (404, nothing changed) nor in the list, and
// erasure works within each tenant.
func TestContactsAreTheTenants(t *testing.T) {
	env := apptest.New(t)
	b, _ := boras(t, env)
	_, gbg := env.NewUser(auth.RoleEditor)
	_, bor := b.NewUser(auth.RoleEditor)
	o := create(t, env, gbg, organisations.NewRequest{Name: apptest.Unique("Delad förening"), Sector: "civil_society", LegalForm: "ideell_forening"})
	base := "/api/v1/organisations/" + o.ID + "/contacts"
	add := func(env *apptest.Env, token, name string) organisations.Contact {
		t.Helper()
		res := env.Do("POST", base, token, organisations.NewContactRequest{Name: name, Email: "kontakt@example.se"})
		if res.Code != 201 {
			t.Fatalf("add %s: %d %s", name, res.Code, res.Body)
		}
		var c organisations.Contact
		res.JSON(t, &c)
		return c
	}
	anna := add(env, gbg, "Anna i Göteborg")
	bo := add(b, bor, "Bo i Borås")

	for _, tc := range []struct {
		name   string
		method string
		path   string
		body   any
	}{
		{"get", "GET", base + "/" + anna.ID, nil},
		{"update", "PATCH", base + "/" + anna.ID, map[string]string{"name": "kapad"}},
		{"remove", "DELETE", base + "/" + anna.ID, nil},
		{"erase", "POST", base + "/" + anna.ID + "/erase", nil},
	} {
		t.Run("Borås "+tc.name+"s Göteborg's contact", func(t *testing.T) {
			if res := b.Do(tc.method, tc.path, bor, tc.body, apptest.H("If-Match", `"1"`)); res.Code != 404 {
				t.Errorf("%d %s", res.Code, res.Body)
			}
		})
	}
	names := func(env *apptest.Env, token string) []string {
		var l organisations.ContactList
		env.Do("GET", base, token, nil).JSON(t, &l)
		var out []string
		for _, c := range l.Items {
			out = append(out, c.Name)
		}
		return out
	}
	if got := names(env, gbg); fmt.Sprint(got) != "[Anna i Göteborg]" {
		t.Fatalf("Göteborg lists %v", got)
	}
	if got := names(b, bor); fmt.Sprint(got) != "[Bo i Borås]" {
		t.Fatalf("Borås lists %v", got)
	}
	if res := env.Do("GET", base+"/"+bo.ID, gbg, nil); res.Code != 404 {
		t.Fatalf("Göteborg reads Borås's contact: %d", res.Code)
	}

	// Erasure within each tenant: Göteborg's erasure leaves Borås's contact.
	if res := env.Do("POST", base+"/"+anna.ID+"/erase", gbg, nil); res.Code != 200 {
		t.Fatalf("erase: %d %s", res.Code, res.Body)
	}
	type stored struct{ TenantID, Name string }
	var rows []stored
	env.Owner().Raw("SELECT tenant_id::text, name FROM contacts WHERE organisation_id = ? ORDER BY tenant_id = ?", o.ID, env.Tenant).Scan(&rows)
	if want := []stored{{b.Tenant, "Bo i Borås"}, {env.Tenant, ""}}; fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Fatalf("contacts %+v, want %+v", rows, want)
	}
	if res := b.Do("POST", base+"/"+bo.ID+"/erase", bor, nil); res.Code != 200 {
		t.Fatalf("Borås erases its own: %d %s", res.Code, res.Body)
	}
}

// TestDistrictEditorsReadTheirTenantsProfile: a district editor's rules
// read their own tenant's classification, never another's.
func TestDistrictEditorsReadTheirTenantsProfile(t *testing.T) {
	env := apptest.New(t)
	b, norrby := boras(t, env)
	_, gbg := env.NewUser(auth.RoleEditor)
	_, bor := b.NewUser(auth.RoleEditor)
	_, districtEditor := env.NewUser(auth.RoleDistrictEditor, apptest.InDistricts(env.Districts["Västra Göteborg"]))
	mk := func(env *apptest.Env, token string, districts ...string) organisations.Response {
		return create(t, env, token, organisations.NewRequest{Name: apptest.Unique("Förening"), Sector: "civil_society", LegalForm: "ovrig", DistrictIDs: districts})
	}
	inAngered := mk(env, gbg, env.Districts["Angered"])
	onlyBoras := mk(b, bor, norrby) // Göteborg keeps no profile of it: city-wide to Göteborg
	// Borås places Göteborg's Angered organisation in Norrby: nothing changes for Göteborg.
	if res := b.Do("PATCH", "/api/v1/organisations/"+inAngered.ID, bor, map[string]any{"district_ids": []string{norrby}}, apptest.H("If-Match", `"1"`)); res.Code != 200 {
		t.Fatalf("Borås classifies: %d %s", res.Code, res.Body)
	}
	if res := env.Do("GET", "/api/v1/organisations/"+inAngered.ID, districtEditor, nil); res.Code != 404 {
		t.Fatalf("the Västra Göteborg editor reads an Angered organisation: %d", res.Code)
	}
	if got := listIDs(t, env, districtEditor, "limit=200&district="+norrby); len(got) != 0 {
		t.Fatalf("Borås's district lists %v to Göteborg's district editor", got)
	}
	// Borås's organisation is city-wide to Göteborg: read, not changed.
	if res := env.Do("GET", "/api/v1/organisations/"+onlyBoras.ID, districtEditor, nil); res.Code != 200 {
		t.Fatalf("a city-wide organisation: %d", res.Code)
	}
	for _, body := range []map[string]any{{"name": "kapad"}, {"district_ids": []string{env.Districts["Västra Göteborg"]}}} {
		if res := env.Do("PATCH", "/api/v1/organisations/"+onlyBoras.ID, districtEditor, body, apptest.H("If-Match", `"1"`)); res.Code != 403 {
			t.Errorf("the district editor changes a city-wide organisation with %v: %d %s", body, res.Code, res.Body)
		}
	}
	// Göteborg places it in Västra Göteborg: now it is the district editor's.
	if res := env.Do("PATCH", "/api/v1/organisations/"+onlyBoras.ID, gbg, map[string]any{"district_ids": []string{env.Districts["Västra Göteborg"]}}, apptest.H("If-Match", `"1"`)); res.Code != 200 {
		t.Fatalf("Göteborg classifies: %d %s", res.Code, res.Body)
	}
	res := env.Do("PATCH", "/api/v1/organisations/"+onlyBoras.ID, districtEditor, map[string]string{"notes": "vår anteckning"}, apptest.H("If-Match", `"2"`))
	if res.Code != 200 {
		t.Fatalf("the district editor writes notes: %d %s", res.Code, res.Body)
	}
	if seen := get(t, b, bor, onlyBoras.ID); seen.Notes != "" || fmt.Sprint(seen.DistrictIDs) != fmt.Sprint([]string{norrby}) || seen.Version != 1 {
		t.Fatalf("Borås after Göteborg's profile changes: %+v", seen)
	}
}
