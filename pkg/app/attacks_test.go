package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
)

// theirs is one of everything, made through the API by a city-wide
// editor and an admin: in a district the attackers do not belong to, or in
// another tenant altogether.
type theirs struct {
	ids     map[string]string // by the route's resource and :id ("partnerships:id"), or by parameter ("party_id")
	secrets []string          // ids and texts none of the attackers may see anywhere
	foreign bool              // of another tenant
	editor  string            // the token of the editor who made it
	admin   string            // the token of the admin who made it
	title   string            // the partnership's title (public, in open data, when the world is another tenant's)
}

// object answers a create and keeps its id (and the id as a secret).
func (w *theirs) object(t testing.TB, key string, res apptest.Response) string {
	t.Helper()
	if res.Code != http.StatusCreated && res.Code != http.StatusOK {
		t.Fatalf("fixture %s: %d %s", key, res.Code, res.Body)
	}
	var v struct {
		ID string `json:"id"`
	}
	res.JSON(t, &v)
	if v.ID == "" {
		t.Fatalf("fixture %s: no id in %s", key, res.Body)
	}
	w.ids[key] = v.ID
	if !strings.HasPrefix(key, "organisation") || !w.foreign { // the national register's ids are no other tenant's secret
		w.secrets = append(w.secrets, v.ID)
	}
	return v.ID
}

// name says what a secret is: the key of an id, or the text itself.
func (w *theirs) name(secret string) string {
	for k, id := range w.ids {
		if id == secret {
			return k + " " + id
		}
	}
	return fmt.Sprintf("%q", secret)
}

// secret notes a text none of the attackers may see.
func (w *theirs) secret(s string) string {
	w.secrets = append(w.secrets, s)
	return s
}

// public is a text the attackers may see when the world is another
// tenant's (what the national organisation register says of an
// organisation), and a secret otherwise.
func (w *theirs) public(s string) string {
	if w.foreign {
		return s
	}
	return w.secret(s)
}

// theirWorld builds the attackers' target in Göteborg's Angered.
func theirWorld(t testing.TB, env *apptest.Env) *theirs {
	return buildWorld(t, env, "1480", env.Districts["Angered"], false)
}

// buildWorld makes one of everything in a district of municipality, as
// env's tenant. A foreign world is another tenant's: what that tenant owns
// as a whole (the district, the funding source) is secret too, and the
// organisations, which the national register shows everyone, are not.
func buildWorld(t testing.TB, env *apptest.Env, municipality, district string, foreign bool) *theirs {
	w := &theirs{ids: map[string]string{}, foreign: foreign}
	_, editor := env.NewUser(auth.RoleEditor)
	_, admin := env.NewUser(auth.RoleAdmin)
	w.editor, w.admin = editor, admin
	tag := apptest.Unique("hemlig")
	secret := w.secret
	post := func(key, path, token string, body any) string {
		t.Helper()
		return w.object(t, key, env.Do("POST", path, token, body))
	}
	org := post("organisations:id", "/api/v1/organisations", editor, map[string]any{"name": w.public("Föreningen " + tag), "sector": "civil_society",
		"legal_form": "ideell_forening", "municipality_code": municipality, "district_ids": []string{district}, "org_number": w.public(apptest.OrgNumber('8'))})
	w.ids["reports:id"], w.ids["organisation:id"] = org, org
	post("contact_id", "/api/v1/organisations/"+org+"/contacts", editor, map[string]any{"name": secret("Kontakt " + tag), "email": "k@example.se"})
	w.title = "Samverkan " + tag
	p := post("partnerships:id", "/api/v1/partnerships", editor, map[string]any{"title": secret(w.title), "form": "iop", "status": "active",
		"municipality_code": municipality, "district_ids": []string{district}, "start_date": "2025-01-01", "purpose": secret("Syftet " + tag), "public": foreign})
	party := post("party_id", "/api/v1/partnerships/"+p+"/parties", editor, map[string]any{"organisation_id": org, "role": "lead"})
	post("commitment_id", "/api/v1/partnerships/"+p+"/commitments", editor, map[string]any{"party_id": party, "direction": "committed",
		"kind": "activities", "description": secret("Åtagandet " + tag)})
	var src struct{ ID string }
	srcName := "Källa " + tag // a source of the whole tenant: a secret only to other tenants
	if foreign {
		srcName = secret(srcName)
	}
	env.Do("POST", "/api/v1/funding-sources", admin, map[string]any{"name": srcName, "kind": "municipal_budget"}).JSON(t, &src)
	w.ids["funding-sources:id"] = src.ID
	if foreign {
		secret(src.ID)
	}
	alloc := post("allocations:id", "/api/v1/allocations", editor, map[string]any{"source_id": src.ID, "partnership_id": p, "recipient_organisation_id": org,
		"fiscal_year": 2025, "applied_ore": 1000000, "granted_ore": 1000000, "status": "granted", "decision_date": "2025-01-15", "decision_reference": secret("Dnr " + tag),
		"state_aid": "general_de_minimis"})
	post("disbursement_id", "/api/v1/allocations/"+alloc+"/disbursements", editor, map[string]any{"amount_ore": 500000, "paid_on": "2025-02-01"})
	ind := post("indicators:id", "/api/v1/partnerships/"+p+"/indicators", editor, map[string]any{"name": secret("Indikatorn " + tag), "unit": "personer",
		"result_level": "output", "targets": []map[string]any{{"period_start": "2025-01-01", "period_end": "2025-12-31", "target": 12}}})
	post("measurements:id", "/api/v1/indicators/"+ind+"/measurements", editor, map[string]any{"period_start": "2025-01-01", "period_end": "2025-03-31", "value": 7})
	post("follow-ups:id", "/api/v1/partnerships/"+p+"/follow-ups", editor, map[string]any{"due_on": "2025-06-30", "description": secret("Uppföljningen " + tag)})
	ev := post("evaluations:id", "/api/v1/partnerships/"+p+"/evaluations", editor, map[string]any{"kind": "self_assessment", "summary": secret("Utvärderingen " + tag)})
	post("assessments:id", "/api/v1/evaluations/"+ev+"/assessments", editor, map[string]any{"organisation_id": org, "text": secret("Bedömningen " + tag), "rating": 4})
	post("lessons:id", "/api/v1/partnerships/"+p+"/lessons", editor, map[string]any{"category": "success_factor", "factors": []string{"trust"},
		"text": secret("Lärdomen " + tag)})
	w.object(t, "documents:id", env.Upload("/api/v1/partnerships/"+p+"/documents", editor, "avtal.pdf", []byte("%PDF-1.4\n%%EOF\n"), "title", secret("Avtalet "+tag)))
	plan := post("action-plans:id", "/api/v1/action-plans", editor, map[string]any{"title": secret("Planen " + tag), "municipality_code": municipality, "district_id": district,
		"goal_areas": []string{secret("Målområdet " + tag)}})
	post("action-plan-activities:id", "/api/v1/action-plans/"+plan+"/activities", editor, map[string]any{"title": secret("Aktiviteten " + tag)})
	post("meetings:id", "/api/v1/meetings", editor, map[string]any{"kind": "network_meeting", "title": secret("Mötet " + tag), "held_on": "2025-03-01",
		"municipality_code": municipality, "district_id": district})
	round := post("rounds:id", "/api/v1/matching/rounds", editor, map[string]any{"title": secret("Idéslussen " + tag), "municipality_code": municipality, "district_id": district})
	seek := w.object(t, "entry:seek", env.Do("POST", "/api/v1/matching/rounds/"+round+"/entries", editor, map[string]any{"kind": "need", "category": "praktik", "description": secret("Behovet " + tag),
		"organisation_id": org}))
	other := w.object(t, "organisation:other", env.Do("POST", "/api/v1/organisations", editor, map[string]any{"name": w.public("Stiftelsen " + tag),
		"sector": "civil_society", "legal_form": "stiftelse", "municipality_code": municipality, "district_ids": []string{district}}))
	offer := w.object(t, "entry:offer", env.Do("POST", "/api/v1/matching/rounds/"+round+"/entries", editor, map[string]any{"kind": "resource",
		"category": "praktik", "description": secret("Resursen " + tag), "organisation_id": other}))
	post("matches:id", "/api/v1/matching/rounds/"+round+"/matches", editor, map[string]any{"seeking_entry_id": seek, "offering_entry_id": offer, "status": "confirmed"})
	hook := post("webhooks:id", "/api/v1/webhooks", admin, map[string]any{"url": "https://hooks.example/" + tag, "events": []string{"*"}, "secret": strings.Repeat("s", 32)})
	w.ids["delivery_id"] = hook
	post("users:id", "/api/v1/users", admin, map[string]any{"email": tag + "@example.se", "name": secret("Användaren " + tag), "role": "district_editor",
		"district_ids": []string{district}, "password": "ett-långt-lösenord-1"})
	post("api-clients:id", "/api/v1/api-clients", admin, map[string]any{"name": secret("Klienten " + tag), "scopes": []string{auth.ScopeReportsRead},
		"district_ids": []string{district}})
	var n struct{ ID string }
	if err := env.Owner().Raw(`INSERT INTO notifications (user_id, event_key, subject, body, link, kind, tenant_id) VALUES (?, ?, ?, '', '', 'follow_up_due', ?)
		RETURNING id::text`, w.ids["users:id"], tag, secret("Påminnelsen "+tag), env.Tenant).Scan(&n).Error; err != nil || n.ID == "" {
		t.Fatalf("fixture notification: %v", err)
	}
	w.ids["notifications:id"] = n.ID
	w.secrets = append(w.secrets, n.ID)
	return w
}

// attackers are the principals limited to another district or to their
// own organisation.
func attackers(env *apptest.Env) map[string]string {
	vast := env.Districts["Västra Göteborg"]
	_, editor := env.NewUser(auth.RoleEditor)
	var own struct{ ID string }
	env.Do("POST", "/api/v1/organisations", editor, map[string]any{"name": apptest.Unique("Egna föreningen"), "sector": "civil_society",
		"legal_form": "ideell_forening", "municipality_code": "1480", "district_ids": []string{vast}}).JSON(env.T, &own)
	_, districtEditor := env.NewUser(auth.RoleDistrictEditor, apptest.InDistricts(vast))
	_, reporter := env.NewUser(auth.RoleReporter, apptest.ForOrganisation(own.ID))
	_, _, client := env.NewClient(auth.Scopes, vast)
	return map[string]string{"district editor": districtEditor, "district client": client, "reporter": reporter}
}

var routeParam = regexp.MustCompile(`:[a-z_]+`)

// shared are the resources every signed-in caller may read or that only
// administrators change: not another district's, so not attacked here (the
// role × route matrix covers who may call them at all).
var shared = map[string]bool{"municipalities": true, "districts": true, "code-lists": true, "funding-sources": true, "rules": true,
	"indicator-definitions": true, "exchange-rates": true}

// fill gives a route's parameters the ids of their objects; false when the
// route's object is shared.
func fill(path string, ids map[string]string) (string, bool) {
	segs := strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/")
	if shared[segs[0]] {
		return "", false
	}
	out := make([]string, len(segs))
	for i, s := range segs {
		out[i] = s
		if !strings.HasPrefix(s, ":") {
			continue
		}
		key := s[1:]
		if s == ":id" {
			key = segs[i-1] + ":id"
		}
		id, ok := ids[key]
		if !ok {
			return "", false
		}
		out[i] = id
	}
	return "/api/v1/" + strings.Join(out, "/"), true
}

// snapshot is a digest of every table's content, but for the replicas'
// heartbeats and request counts, which change by themselves.
func snapshot(t *testing.T, env *apptest.Env) map[string]string {
	var tables []string
	env.Owner().Raw(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('service_instances', 'rate_counts')
		ORDER BY 1`).Scan(&tables)
	out := map[string]string{}
	for _, tb := range tables {
		var digest string
		env.Owner().Raw(fmt.Sprintf(`SELECT coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '') FROM %q x`, tb)).Scan(&digest)
		out[tb] = digest
	}
	return out
}

// TestNoAccessAcrossDistrictsOrOrganisations calls every route that names
// an object, with each of their objects' ids, as a district editor, a
// district-restricted API client holding every scope and a reporter of
// another organisation: always 404 or 403, nothing changed in the database.
// Then every list, report and export, with their objects' ids as filters:
// none of their ids or texts appears in any answer.
func TestNoAccessAcrossDistrictsOrOrganisations(t *testing.T) {
	env := apptest.New(t)
	w := theirWorld(t, env)
	as := attackers(env)
	before := snapshot(t, env)
	tried := 0
	for _, r := range env.App.Router.Routes() {
		if !strings.Contains(r.Path, ":") || r.Permission == auth.Public {
			continue
		}
		path, ok := fill(r.Path, w.ids)
		if !ok {
			continue
		}
		for name, tok := range as {
			res := env.Do(r.Method, path, tok, "{}", apptest.H("If-Match", `"1"`))
			tried++
			if res.Code != http.StatusNotFound && res.Code != http.StatusForbidden {
				t.Errorf("%s %s as the %s: %d %s", r.Method, r.Path, name, res.Code, res.Body[:min(len(res.Body), 160)])
			}
		}
	}
	after := snapshot(t, env)
	for table, digest := range before {
		if after[table] != digest {
			t.Errorf("table %s changed under the refused requests", table)
		}
	}
	t.Logf("%d requests at their objects, all refused", tried)

	lists := 0
	filters := []string{"", "?district=" + env.Districts["Angered"], "?organisation=" + w.ids["organisations:id"],
		"?partnership=" + w.ids["partnerships:id"], "?partnership_id=" + w.ids["partnerships:id"], "?limit=200", "?format=csv"}
	for _, r := range env.App.Router.Routes() {
		if r.Method != "GET" || strings.Contains(r.Path, ":") || r.Permission == auth.Public || !strings.HasPrefix(r.Path, "/api/v1/") {
			continue
		}
		for name, tok := range as {
			for _, f := range filters {
				res := env.Do("GET", r.Path+f, tok, nil)
				lists++
				if res.Code >= 500 {
					t.Errorf("GET %s%s as the %s: %d", r.Path, f, name, res.Code)
				}
				for _, s := range w.secrets {
					if strings.Contains(string(res.Body), s) {
						t.Errorf("GET %s%s as the %s shows %q", r.Path, f, name, s)
					}
				}
			}
		}
	}
	t.Logf("%d list, report and export requests, none showing any of their %d ids and texts", lists, len(w.secrets))
	_ = json.Valid
}
