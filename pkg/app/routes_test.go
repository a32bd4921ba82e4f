package app_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var param = regexp.MustCompile(`:([a-z_]+)`)

// specPath turns an Echo path into the spec's form: /organisations/{id}.
func specPath(p string) string {
	return param.ReplaceAllString(strings.TrimPrefix(p, "/api/v1"), "{$1}")
}

func TestEveryRouteHasAPolicy(t *testing.T) {
	env := apptest.New(t)
	registered := map[string]auth.Permission{}
	for _, r := range env.App.Router.Routes() {
		registered[r.Method+" "+r.Path] = r.Permission
		if _, ok := auth.Policy[r.Permission]; !ok && r.Permission != auth.Public {
			t.Errorf("%s %s needs %q, which the policy does not name", r.Method, r.Path, r.Permission)
		}
	}
	for _, r := range env.App.Server.Echo.Routes() {
		method := r.Method
		if method == http.MethodHead { // every GET answers HEAD, with the GET's policy
			method = http.MethodGet
		}
		if _, ok := registered[method+" "+r.Path]; !ok {
			t.Errorf("%s %s was registered around the policy router", r.Method, r.Path)
		}
	}
}

func TestRoutesMatchTheSpec(t *testing.T) {
	env := apptest.New(t)
	var spec struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(api.JSON(), &spec); err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for path, ops := range spec.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	served := map[string]bool{}
	for _, r := range env.App.Router.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") {
			continue // operations and the docs themselves
		}
		key := r.Method + " " + specPath(r.Path)
		served[key] = true
		if !documented[key] {
			t.Errorf("%s is served but not in api/openapi.json", key)
		}
	}
	for key := range documented {
		if !served[key] {
			t.Errorf("%s is in api/openapi.json but not served", key)
		}
	}
}

// principals are one of each kind the policy knows: every role, and an API
// client holding each scope alone.
func principals(env *apptest.Env) map[string]auth.Principal {
	out := map[string]auth.Principal{}
	for _, r := range auth.Roles {
		p := auth.Principal{Kind: auth.KindUser, ID: uuid.NewString(), Role: r, Scopes: auth.RoleScopes(r)}
		switch r {
		case auth.RoleDistrictEditor:
			p.DistrictIDs = []string{env.Districts["Lundby"]}
		case auth.RoleReporter:
			p.OrganisationID = uuid.NewString()
		}
		out["role "+string(r)] = p
	}
	for _, s := range auth.Scopes {
		out["client "+s] = auth.Principal{Kind: auth.KindClient, ID: uuid.NewString(), Scopes: []string{s}}
	}
	return out
}

func TestRoleRouteMatrixEqualsPolicy(t *testing.T) {
	env := apptest.New(t)
	ps := principals(env)
	names := make([]string, 0, len(ps))
	for n := range ps {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, r := range env.App.Router.Routes() {
		if r.Permission == auth.Public {
			continue
		}
		path := param.ReplaceAllStringFunc(r.Path, func(p string) string {
			if p == ":code" {
				return "9999"
			}
			return uuid.NewString() // nobody's object: nothing can be changed
		})
		if strings.HasSuffix(path, "/*") {
			continue
		}
		if res := env.Do(r.Method, path, "", nil); res.Code != http.StatusUnauthorized {
			t.Errorf("%s %s without a token: %d, want 401", r.Method, r.Path, res.Code)
		}
		for _, name := range names {
			p := ps[name]
			res := env.Do(r.Method, path, env.Token(p), "{}", apptest.H("If-Match", `"1"`))
			allowed := auth.Allows(p, r.Permission)
			switch {
			case allowed && (res.Code == http.StatusForbidden || res.Code == http.StatusUnauthorized):
				t.Errorf("%s %s as %s: %d, but the policy allows it", r.Method, r.Path, name, res.Code)
			case !allowed && res.Code != http.StatusForbidden:
				t.Errorf("%s %s as %s: %d, but the policy forbids it (want 403)", r.Method, r.Path, name, res.Code)
			}
			if res.Code >= 500 {
				t.Errorf("%s %s as %s: %d %s", r.Method, r.Path, name, res.Code, res.Body)
			}
		}
	}
}
