package app_test

import (
	"encoding/json"
	"sync"
	"testing"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
)

// bodyRoute is a route that takes a JSON body, with its parameters filled.
type bodyRoute struct {
	method, path string
	example      []byte // a body naming every property with a value of its type
}

var (
	fuzzOnce   sync.Once
	fuzzEnv    *apptest.Env
	fuzzRoutes []bodyRoute
	fuzzToken  string
)

// sample is a value of an OpenAPI property's type.
func sample(prop map[string]any) any {
	if e, ok := prop["enum"].([]any); ok && len(e) > 0 {
		return e[0]
	}
	switch prop["type"] {
	case "integer", "number":
		return 1
	case "boolean":
		return true
	case "array":
		items, _ := prop["items"].(map[string]any)
		return []any{sample(items)}
	case "object":
		return map[string]any{}
	}
	switch prop["format"] {
	case "date":
		return "2025-03-01"
	case "date-time":
		return "2025-03-01T10:00:00Z"
	case "uuid":
		return "00000000-0000-4000-8000-000000000000"
	}
	return "x"
}

// fuzzTargets are the service with one of everything, an administrator's
// token, and every route that takes a JSON body, aimed at real objects.
func fuzzTargets(t testing.TB) (*apptest.Env, []bodyRoute, string) {
	fuzzOnce.Do(func() {
		env := apptest.New(t)
		w := theirWorld(t, env)
		_, fuzzToken = env.NewUser(auth.RoleAdmin)
		for _, rb := range requestBodies(t) {
			filled, ok := fill(rb.path, w.ids)
			if !ok {
				filled = routeParam.ReplaceAllStringFunc(rb.path, func(p string) string {
					if p == ":list" {
						return "target_groups"
					}
					return "00000000-0000-4000-8000-000000000000"
				})
			}
			example := map[string]any{}
			for name, prop := range rb.props {
				example[name] = sample(prop)
			}
			eb, _ := json.Marshal(example)
			fuzzRoutes = append(fuzzRoutes, bodyRoute{rb.method, filled, eb})
		}
		fuzzEnv = env
	})
	return fuzzEnv, fuzzRoutes, fuzzToken
}

// FuzzRequestBodies sends arbitrary bodies to every route that takes JSON
// (every create and update), as an administrator, at real objects: no input
// may be answered 500.
func FuzzRequestBodies(f *testing.F) {
	env, routes, token := fuzzTargets(f)
	for i, r := range routes {
		f.Add(uint16(i), r.example)
		f.Add(uint16(i), []byte("{}"))
	}
	f.Fuzz(func(t *testing.T, route uint16, body []byte) {
		e := *env
		e.T = t // the fuzz function reports through its own t
		r := routes[int(route)%len(routes)]
		res := e.Do(r.method, r.path, token, body, apptest.H("If-Match", `"1"`))
		if res.Code >= 500 {
			t.Fatalf("%s %s with %q: %d %s", r.method, r.path, body, res.Code, res.Body)
		}
	})
}
