package app_test

import (
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
)

// protected are fields the server sets itself, or that decide who may see
// a record: a request may only carry those its schema names.
var protected = []string{"id", "version", "created_by", "created_at", "updated_at", "archived_at", "archived", "status", "district_ids",
	"reference", "password_hash", "secret_hash", "client_secret", "hash", "organisation_id", "role", "submitted_by", "reviewed_by",
	"decided_by", "owner_id", "owner_type", "partnership_id", "actor_id", "scopes"}

// requestBody is a route of the contract that takes a JSON body, its path
// with :params, and the properties its schema names.
type requestBody struct {
	method, path string
	props        map[string]map[string]any
	required     []string
}

// requestBodies reads every JSON request body of the contract (api/openapi.json).
func requestBodies(t testing.TB) []requestBody {
	b, err := os.ReadFile("../../api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]struct {
					Schema struct {
						Ref string `json:"$ref"`
					} `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
		Components struct {
			Schemas map[string]struct {
				Properties map[string]map[string]any `json:"properties"`
				Required   []string                  `json:"required"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`\{([a-z_]+)\}`)
	var out []requestBody
	for path, ops := range spec.Paths {
		for method, op := range ops {
			c, ok := op.RequestBody.Content["application/json"]
			if !ok || c.Schema.Ref == "" {
				continue
			}
			schema := spec.Components.Schemas[strings.TrimPrefix(c.Schema.Ref, "#/components/schemas/")]
			out = append(out, requestBody{strings.ToUpper(method), "/api/v1" + param.ReplaceAllString(path, ":$1"),
				schema.Properties, schema.Required})
		}
	}
	slices.SortFunc(out, func(a, b requestBody) int { return strings.Compare(a.method+a.path, b.method+b.path) })
	return out
}

// requestSchemas maps "METHOD /api/v1/path/:param" of every JSON request
// body in the contract to the properties its schema names.
func requestSchemas(t *testing.T) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, rb := range requestBodies(t) {
		props := map[string]bool{}
		for p := range rb.props {
			props[p] = true
		}
		out[rb.method+" "+rb.path] = props
	}
	return out
}

// TestProtectedFieldsAreRefused sends each protected field that a route's
// request schema does not name, to every route that takes a JSON body, as
// an administrator: each is refused as an unknown field, before anything
// is looked up or written.
func TestProtectedFieldsAreRefused(t *testing.T) {
	env := apptest.New(t)
	_, admin := env.NewUser(auth.RoleAdmin)
	_, operator := env.NewUser(auth.RoleOperator)
	schemas := requestSchemas(t)
	before := snapshot(t, env)
	tried := 0
	for route, props := range schemas {
		method, path, _ := strings.Cut(route, " ")
		path = routeParam.ReplaceAllStringFunc(path, func(p string) string {
			if p == ":list" {
				return "target_groups"
			}
			return uuid.NewString()
		})
		for _, field := range protected {
			if props[field] {
				continue
			}
			who := admin
			if platformPath(path) {
				who = operator
			}
			res := env.Do(method, path, who, map[string]string{field: "forged"}, apptest.H("If-Match", `"1"`))
			tried++
			if res.Code != http.StatusBadRequest || res.Problem(t).Code != "unknown_field" {
				t.Errorf("%s with %q: %d %s", route, field, res.Code, res.Body[:min(len(res.Body), 160)])
			}
		}
	}
	after := snapshot(t, env)
	for table, digest := range before {
		if after[table] != digest && table != "audit_events" {
			t.Errorf("table %s changed", table)
		}
	}
	if len(schemas) < 50 {
		t.Fatalf("only %d request bodies in the contract", len(schemas))
	}
	t.Logf("%d requests carrying a protected field, to %d routes: all refused", tried, len(schemas))
}

// TestProtectedFieldsStayProtected sends the protected fields a schema does
// name, as those limited to a district: a record may not be moved into or
// out of sight, nor tied to what they cannot see. Everything is refused and
// nothing is stored.
func TestProtectedFieldsStayProtected(t *testing.T) {
	env := apptest.New(t)
	w := theirWorld(t, env)
	vast, angered := env.Districts["Västra Göteborg"], env.Districts["Angered"]
	_, editor := env.NewUser(auth.RoleEditor)
	mine := &theirs{ids: map[string]string{}}
	post := func(key, path string, body any) string {
		return mine.object(t, key, env.Do("POST", path, editor, body))
	}
	org := post("org", "/api/v1/organisations", map[string]any{"name": apptest.Unique("Västra föreningen"), "sector": "civil_society",
		"legal_form": "ideell_forening", "municipality_code": "1480", "district_ids": []string{vast}})
	p := post("partnership", "/api/v1/partnerships", map[string]any{"title": apptest.Unique("Västra samverkan"), "form": "iop", "status": "active",
		"municipality_code": "1480", "district_ids": []string{vast}, "start_date": "2025-01-01"})
	var src struct{ ID string }
	_, admin := env.NewUser(auth.RoleAdmin)
	env.Do("POST", "/api/v1/funding-sources", admin, map[string]any{"name": apptest.Unique("Källa"), "kind": "municipal_budget"}).JSON(t, &src)
	alloc := post("allocation", "/api/v1/allocations", map[string]any{"source_id": src.ID, "partnership_id": p, "recipient_organisation_id": org,
		"fiscal_year": 2025, "applied_ore": 100000, "status": "applied"})
	ev := post("evaluation", "/api/v1/partnerships/"+p+"/evaluations", map[string]any{"kind": "self_assessment", "summary": "x"})
	meeting := post("meeting", "/api/v1/meetings", map[string]any{"kind": "network_meeting", "title": apptest.Unique("Möte"), "held_on": "2025-03-01",
		"municipality_code": "1480", "district_id": vast})
	round := post("round", "/api/v1/matching/rounds", map[string]any{"title": apptest.Unique("Idésluss"), "municipality_code": "1480", "district_id": vast})

	_, districtEditor := env.NewUser(auth.RoleDistrictEditor, apptest.InDistricts(vast))
	_, _, client := env.NewClient(auth.Scopes, vast)
	_, reporter := env.NewUser(auth.RoleReporter, apptest.ForOrganisation(org))
	ifMatch := apptest.H("If-Match", `"1"`)
	cases := []struct {
		name, method, path string
		body               map[string]any
		as                 []string
	}{
		{"a partnership registered in their district", "POST", "/api/v1/partnerships", map[string]any{"title": "x", "form": "iop",
			"municipality_code": "1480", "district_ids": []string{angered}}, []string{districtEditor, client}},
		{"a partnership moved to their district", "PATCH", "/api/v1/partnerships/" + p, map[string]any{"district_ids": []string{angered}}, []string{districtEditor, client}},
		{"an organisation registered in their district", "POST", "/api/v1/organisations", map[string]any{"name": "x", "sector": "civil_society",
			"legal_form": "ovrig", "district_ids": []string{angered}}, []string{districtEditor, client}},
		{"an organisation moved to their district", "PATCH", "/api/v1/organisations/" + org, map[string]any{"district_ids": []string{angered}}, []string{districtEditor, client}},
		{"an allocation moved to their partnership", "PATCH", "/api/v1/allocations/" + alloc, map[string]any{"partnership_id": w.ids["partnerships:id"]}, []string{districtEditor, client}},
		{"an allocation to their partnership", "POST", "/api/v1/allocations", map[string]any{"source_id": src.ID, "partnership_id": w.ids["partnerships:id"],
			"recipient_organisation_id": org, "fiscal_year": 2025, "applied_ore": 1}, []string{districtEditor, client}},
		{"an allocation to their organisation", "POST", "/api/v1/allocations", map[string]any{"source_id": src.ID, "partnership_id": p,
			"recipient_organisation_id": w.ids["organisations:id"], "fiscal_year": 2025, "applied_ore": 1}, []string{districtEditor, client}},
		{"their organisation as a party", "POST", "/api/v1/partnerships/" + p + "/parties", map[string]any{"organisation_id": w.ids["organisations:id"],
			"role": "partner"}, []string{districtEditor, client}},
		{"their partnership as a meeting's action", "POST", "/api/v1/meetings/" + meeting + "/actions", map[string]any{"description": "x",
			"partnership_id": w.ids["partnerships:id"]}, []string{districtEditor, client}},
		{"their organisation in a matching round", "POST", "/api/v1/matching/rounds/" + round + "/entries", map[string]any{"kind": "need",
			"category": "praktik", "description": "x", "organisation_id": w.ids["organisations:id"]}, []string{districtEditor, client}},
		{"an assessment in their organisation's name", "POST", "/api/v1/evaluations/" + ev + "/assessments", map[string]any{"organisation_id": w.ids["organisations:id"],
			"text": "x"}, []string{reporter}},
		{"an API client given other districts", "PATCH", "/api/v1/api-clients/" + w.ids["api-clients:id"], map[string]any{"district_ids": []string{}}, []string{districtEditor, client, reporter}},
		{"oneself made admin", "PATCH", "/api/v1/users/" + w.ids["users:id"], map[string]any{"role": "admin"}, []string{districtEditor, client, reporter}},
	}
	before := snapshot(t, env)
	for _, tc := range cases {
		for i, tok := range tc.as {
			res := env.Do(tc.method, tc.path, tok, tc.body, ifMatch)
			if res.Code < 400 || res.Code >= 500 {
				t.Errorf("%s (caller %d): %d %s", tc.name, i, res.Code, res.Body[:min(len(res.Body), 200)])
			}
		}
	}
	after := snapshot(t, env)
	for table, digest := range before {
		if after[table] != digest {
			t.Errorf("table %s changed under the refused requests", table)
		}
	}
}

var secretPatterns = regexp.MustCompile(`\$argon2|password_hash|secret_hash|"secret"|refresh_token_hash`)

// TestNoAnswerShowsWhatItMayNot reads every route there is, lists and
// objects, as every role and as read-only API clients: no answer holds a
// password hash or a secret, and only those who may change a sole trader
// see the personnummer that is their organisationsnummer.
func TestNoAnswerShowsWhatItMayNot(t *testing.T) {
	env := apptest.New(t)
	w := theirWorld(t, env)
	_, editor := env.NewUser(auth.RoleEditor)
	vast := env.Districts["Västra Göteborg"]
	personnummer := "19" + "811218-9876"
	var trader struct{ ID string }
	res := env.Do("POST", "/api/v1/organisations", editor, map[string]any{"name": apptest.Unique("Firma Svensson"), "sector": "business",
		"legal_form": "enskild_firma", "municipality_code": "1480", "district_ids": []string{vast}, "org_number": personnummer[2:]})
	res.JSON(t, &trader)
	if res.Code != http.StatusCreated {
		t.Fatalf("sole trader: %d %s", res.Code, res.Body)
	}
	digits := strings.ReplaceAll(personnummer[2:], "-", "")
	ids := map[string]string{}
	for k, v := range w.ids {
		ids[k] = v
	}
	ids["organisations:id"], ids["reports:id"], ids["organisation:id"] = trader.ID, trader.ID, trader.ID

	_, viewer := env.NewUser(auth.RoleViewer)
	_, reporter := env.NewUser(auth.RoleReporter, apptest.ForOrganisation(trader.ID))
	_, _, reader := env.NewClient([]string{auth.ScopePartnershipsRead, auth.ScopeFundingRead, auth.ScopeEvaluationRead, auth.ScopeReportsRead})
	_, admin := env.NewUser(auth.RoleAdmin)
	readers := map[string]string{"viewer": viewer, "reporter": reporter, "read-only client": reader}
	everyone := map[string]string{"editor": editor, "admin": admin}
	for k, v := range readers {
		everyone[k] = v
	}
	read := 0
	for _, r := range env.App.Router.Routes() {
		if r.Method != "GET" || !strings.HasPrefix(r.Path, "/api/v1/") {
			continue
		}
		path := r.Path
		if strings.Contains(path, ":") {
			var ok bool
			if path, ok = fill(path, ids); !ok {
				continue
			}
		}
		for name, tok := range everyone {
			for _, f := range []string{"", "?format=csv"} {
				res := env.Do("GET", path+f, tok, nil)
				read++
				body := string(res.Body)
				if m := secretPatterns.FindString(body); m != "" {
					t.Errorf("GET %s%s as %s holds %q", r.Path, f, name, m)
				}
				if _, limited := readers[name]; limited && (strings.Contains(body, personnummer[2:]) || strings.Contains(body, digits)) {
					t.Errorf("GET %s%s as %s shows the sole trader's personnummer", r.Path, f, name)
				}
			}
		}
	}
	t.Logf("%d answers read, none holding a secret or a personnummer it should not", read)
}

// platformPath reports whether path is the platform operator's: the
// tenants, and what is the same for every tenant (municipalities, rules,
// exchange rates).
func platformPath(path string) bool {
	for _, prefix := range []string{"/api/v1/tenants", "/api/v1/municipalities", "/api/v1/rules", "/api/v1/exchange-rates"} {
		if strings.HasPrefix(path, prefix) {
			return true
		}
	}
	return false
}
