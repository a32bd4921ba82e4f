package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/config"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// HTTP semantics (RFC 9110) and the edge's policies, as an integrator's
// client meets them.
func TestHTTPSemantics(t *testing.T) {
	env := apptest.New(t)
	_, admin := env.NewUser(auth.RoleAdmin)
	var org struct {
		ID      string
		Version int
	}
	res := env.Do("POST", "/api/v1/organisations", admin, map[string]any{"name": apptest.Unique("Föreningen Semantik"),
		"sector": "civil_society", "legal_form": "ideell_forening", "municipality_code": "1480", "org_number": apptest.OrgNumber('8')})
	if res.Code != 201 {
		t.Fatalf("create: %d %s", res.Code, res.Body)
	}
	res.JSON(t, &org)
	item := "/api/v1/organisations/" + org.ID
	etag := env.Do("GET", item, admin, nil).Header.Get("ETag") // the answer's tag, as a cache holds it

	t.Run("HEAD answers every GET route, without a body", func(t *testing.T) {
		for _, path := range []string{item, "/api/v1/organisations", "/api/v1/me", "/api/v1/code-lists"} {
			get, head := env.Do("GET", path, admin, nil), env.Do("HEAD", path, admin, nil)
			if head.Code != get.Code || head.Code != 200 || len(head.Body) != 0 || head.Header.Get("ETag") != get.Header.Get("ETag") {
				t.Errorf("HEAD %s: %d with %d bytes, ETag %q; GET %d, ETag %q", path, head.Code, len(head.Body),
					head.Header.Get("ETag"), get.Code, get.Header.Get("ETag"))
			}
		}
	})

	t.Run("If-None-Match on an item is 304", func(t *testing.T) {
		for _, inm := range []string{etag, `"999", ` + etag, "*", "W/" + etag} {
			res := env.Do("GET", item, admin, nil, apptest.H("If-None-Match", inm))
			if res.Code != http.StatusNotModified || len(res.Body) != 0 {
				t.Errorf("If-None-Match %s: %d %s", inm, res.Code, res.Body)
			}
		}
		if res := env.Do("GET", item, admin, nil, apptest.H("If-None-Match", `"999"`)); res.Code != 200 {
			t.Errorf("another version: %d", res.Code)
		}
	})

	t.Run("an answer that changed without its version is not 304", func(t *testing.T) {
		var pt struct{ ID string }
		env.Do("POST", "/api/v1/partnerships", admin, map[string]any{"title": apptest.Unique("Semantik"), "form": "iop",
			"municipality_code": "1480"}).JSON(t, &pt)
		path := "/api/v1/partnerships/" + pt.ID
		before := env.Do("GET", path, admin, nil).Header.Get("ETag")
		if res := env.Do("POST", path+"/parties", admin, map[string]any{"organisation_id": org.ID, "role": "lead"}); res.Code != 201 {
			t.Fatalf("party: %d %s", res.Code, res.Body)
		}
		after := env.Do("GET", path, admin, nil, apptest.H("If-None-Match", before))
		if after.Code != 200 || !strings.HasPrefix(before, `"1-`) || !strings.HasPrefix(after.Header.Get("ETag"), `"1-`) || after.Header.Get("ETag") == before {
			t.Errorf("a party added: %d, ETag %s → %s (the version stays 1, the answer's hash changes)", after.Code, before, after.Header.Get("ETag"))
		}
	})

	t.Run("If-Match * changes whatever version there is", func(t *testing.T) {
		res := env.Do("PATCH", item, admin, map[string]any{"description": "Ändrad utan att läsa först"}, apptest.H("If-Match", "*"))
		if res.Code != 200 {
			t.Fatalf("PATCH with If-Match *: %d %s", res.Code, res.Body)
		}
		var now struct{ Version int }
		env.Do("GET", item, admin, nil).JSON(t, &now)
		list := fmt.Sprintf(`"99", "%d-anything"`, now.Version)
		if res := env.Do("PATCH", item, admin, map[string]any{"description": "Med en lista"}, apptest.H("If-Match", list)); res.Code != 200 {
			t.Errorf("PATCH with If-Match %s naming the current version: %d %s", list, res.Code, res.Body)
		}
		if res := env.Do("PATCH", item, admin, map[string]any{"description": "x"}, apptest.H("If-Match", `"98", "99"`)); res.Code != 412 {
			t.Errorf("PATCH with If-Match naming no current version: %d", res.Code)
		}
		missing := "/api/v1/organisations/00000000-0000-4000-8000-000000000000"
		res = env.Do("PATCH", missing, admin, map[string]any{"description": "x"}, apptest.H("If-Match", "*"))
		if res.Code != http.StatusPreconditionFailed && res.Code != http.StatusNotFound {
			t.Errorf("PATCH of nothing with If-Match *: %d %s", res.Code, res.Body)
		}
	})

	t.Run("bad requests are problems", func(t *testing.T) {
		tests := []struct {
			name, method, path string
			body               any
			headers            []apptest.Header
			status             int
			code               string
		}{
			{"Accept nobody serves", "GET", item, nil, []apptest.Header{apptest.H("Accept", "application/xml")}, 406, "not_acceptable"},
			{"Accept refusing JSON", "GET", "/api/v1/me", nil, []apptest.Header{apptest.H("Accept", "application/json;q=0, text/html")}, 406, "not_acceptable"},
			{"Accept refusing JSON before */*", "GET", "/api/v1/me", nil, []apptest.Header{apptest.H("Accept", "application/json;q=0, */*;q=0.1")}, 406, "not_acceptable"},
			{"unknown parameter on an item", "GET", item + "?expand=all", nil, nil, 400, "invalid_query"},
			{"unknown parameter on a report", "GET", "/api/v1/reports/funding?yeer=2025", nil, nil, 400, "invalid_query"},
			{"query value past its maxLength", "GET", "/api/v1/organisations?q=" + strings.Repeat("å", 201), nil, nil, 400, "invalid_query"},
			{"page size past its maximum", "GET", "/api/v1/partnerships?limit=201", nil, nil, 400, "invalid_query"},
			{"a year that is not a number", "GET", "/api/v1/allocations?fiscal_year=2025.5", nil, nil, 400, "invalid_query"},
			{"repeated parameter", "GET", "/api/v1/organisations?sector=public&sector=business", nil, nil, 400, "invalid_query"},
			{"body without Content-Type", "POST", "/api/v1/organisations", `{"name":"x"}`, []apptest.Header{apptest.H("Content-Type", "")}, 415, "unsupported_media_type"},
			{"body as text", "POST", "/api/v1/organisations", `{"name":"x"}`, []apptest.Header{apptest.H("Content-Type", "text/plain")}, 415, "unsupported_media_type"},
			{"URI past 8 KiB", "GET", "/api/v1/organisations?q=" + strings.Repeat("a", 1<<20), nil, nil, 414, "uri_too_long"},
			{"headers past 64 KiB", "GET", "/api/v1/me", nil, []apptest.Header{apptest.H("X-Padding", strings.Repeat("a", 100<<10))}, 431, "headers_too_large"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := env.Do(tt.method, tt.path, admin, tt.body, tt.headers...)
				if res.Code != tt.status || res.Header.Get("Content-Type") != problem.ContentType {
					t.Fatalf("%d %s, want %d problem+json: %s", res.Code, res.Header.Get("Content-Type"), tt.status, res.Body)
				}
				if p := res.Problem(t); p.Code != tt.code || p.RequestID == "" || len(p.Instance) > 201+len("…") {
					t.Errorf("code %s (want %s), request id %q, instance of %d bytes", p.Code, tt.code, p.RequestID, len(p.Instance))
				}
			})
		}
	})

	t.Run("accepted variants", func(t *testing.T) {
		for _, accept := range []string{"application/json", "*/*", "application/*", "text/csv", "application/json;q=0.5, text/csv;q=0.9", "nonsense"} {
			if res := env.Do("GET", "/api/v1/organisations", admin, nil, apptest.H("Accept", accept)); res.Code != 200 {
				t.Errorf("Accept %s: %d %s", accept, res.Code, res.Body)
			}
		}
		if res := env.Do("GET", "/api/v1/organisations?format=csv", admin, nil, apptest.H("Accept", "application/xml")); res.Code != 200 {
			t.Errorf("format=csv decides over Accept: %d", res.Code)
		}
		for accept, want := range map[string]string{"application/json;q=0, */*;q=0.1": "text/csv", "text/csv;q=0, application/json": "application/json",
			"text/csv": "text/csv", "*/*": "application/json"} {
			if res := env.Do("GET", "/api/v1/organisations", admin, nil, apptest.H("Accept", accept)); res.Code != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), want) {
				t.Errorf("Accept %s: %d %s, want %s", accept, res.Code, res.Header.Get("Content-Type"), want)
			}
		}
		if res := env.Do("GET", "/api/v1/organisations?format=json", admin, nil, apptest.H("Accept", "text/csv")); res.Code != 200 ||
			!strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") || res.Header.Get("Vary") == "" {
			t.Errorf("format=json decides over Accept: %d %s, Vary %q", res.Code, res.Header.Get("Content-Type"), res.Header.Get("Vary"))
		}
	})

	t.Run("answers say the rate limit", func(t *testing.T) {
		limited := apptest.New(t, func(c *config.Config) { c.RateLimit = 100 })
		_, token := limited.NewUser(auth.RoleViewer)
		res := limited.Do("GET", "/api/v1/me", token, nil)
		for _, h := range []string{"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} {
			if res.Header.Get(h) == "" {
				t.Errorf("no %s", h)
			}
		}
	})

	t.Run("token errors follow RFC 6749", func(t *testing.T) {
		for form, want := range map[string]string{
			"grant_type=password&username=nobody@example.se&password=wrong-password": "invalid_grant",
			"grant_type=magic": "unsupported_grant_type",
			"":                 "invalid_request",
			"grant_type=client_credentials&client_id=x&client_secret=y": "invalid_client",
		} {
			req := httptest.NewRequest("POST", "/api/v1/auth/token", strings.NewReader(form))
			if want == "invalid_client" {
				req.SetBasicAuth("nobody", "wrong")
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			env.App.Server.Echo.ServeHTTP(rec, req)
			var body struct {
				Error, ErrorDescription, Code, Type string
			}
			_ = json.Unmarshal(rec.Body.Bytes(), &body)
			var raw map[string]any
			_ = json.Unmarshal(rec.Body.Bytes(), &raw)
			if want == "invalid_client" && rec.Header().Get("WWW-Authenticate") != `Basic realm="samverkan"` {
				t.Errorf("a client that sent Basic is asked for Basic: %q", rec.Header().Get("WWW-Authenticate"))
			}
			if raw["error"] != want || raw["error_description"] == "" || raw["code"] == nil || raw["type"] == nil {
				t.Errorf("%q: %d %s, want error %s beside the problem fields", form, rec.Code, rec.Body, want)
			}
		}
	})
}
