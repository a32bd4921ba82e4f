package app_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/config"
)

func TestErrorsAreProblems(t *testing.T) {
	env := apptest.New(t)
	_, admin := env.NewUser(auth.RoleAdmin)
	big := `{"name":"` + strings.Repeat("x", 2<<20) + `"}`
	tests := []struct {
		name, method, path, token string
		body                      any
		status                    int
		code                      string
	}{
		{"unknown route", "GET", "/api/v1/nothing-here", admin, nil, 404, "route_not_found"},
		{"wrong method", "PUT", "/api/v1/organisations", admin, nil, 405, "method_not_allowed"},
		{"TRACE", "TRACE", "/api/v1/organisations", admin, nil, 405, "method_not_allowed"},
		{"body over the limit", "POST", "/api/v1/organisations", admin, big, 413, "body_too_large"},
		{"no token", "GET", "/api/v1/organisations", "", nil, 401, "unauthenticated"},
		{"garbage token", "GET", "/api/v1/organisations", "garbage", nil, 401, "invalid_token"},
		{"malformed JSON", "POST", "/api/v1/organisations", admin, `{"name":`, 400, "malformed_json"},
		{"unknown field", "POST", "/api/v1/organisations", admin, `{"name":"x","id":"y"}`, 400, "unknown_field"},
		{"wrong type", "POST", "/api/v1/organisations", admin, `{"name":5}`, 400, "wrong_type"},
		{"invalid UTF-8", "POST", "/api/v1/organisations", admin, "{\"name\":\"\xc3\x28\"}", 400, "invalid_utf8"},
		{"negative limit", "GET", "/api/v1/organisations?limit=-5", admin, nil, 400, "invalid_query"},
		{"huge limit", "GET", "/api/v1/organisations?limit=100000", admin, nil, 400, "invalid_query"},
		{"unknown sort", "GET", "/api/v1/organisations?sort=password", admin, nil, 400, "invalid_query"},
		{"SQL in a filter", "GET", "/api/v1/organisations?sector=public'%20OR%201=1--", admin, nil, 400, "invalid_query"},
		{"misspelt filter", "GET", "/api/v1/organisations?secter=public", admin, nil, 400, "invalid_query"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := env.Do(tt.method, tt.path, tt.token, tt.body)
			if res.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", res.Code, tt.status, res.Body)
			}
			p := res.Problem(t)
			if p.Code != tt.code || p.Status != tt.status || p.RequestID == "" || p.Type == "" {
				t.Errorf("problem %+v, want code %s", p, tt.code)
			}
		})
	}
}

func TestPanicIsA500WithoutInternals(t *testing.T) {
	env := apptest.New(t)
	env.App.Server.Echo.GET("/test/panic", func(echo.Context) error { panic("secret internal detail") })
	res := env.Do("GET", "/test/panic", "", nil)
	p := res.Problem(t)
	if res.Code != 500 || p.Code != "internal" || strings.Contains(string(res.Body), "secret") {
		t.Fatalf("%d %s", res.Code, res.Body)
	}
}

func TestHealthAndMetrics(t *testing.T) {
	env := apptest.New(t)
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/api/openapi.json": 200, "/api/openapi.yaml": 200, "/api/docs/index.html": 200} {
		if res := env.Do("GET", path, "", nil); res.Code != want {
			t.Errorf("GET %s: %d", path, res.Code)
		}
	}
	env.Do("GET", "/api/v1/organisations", "", nil)
	res := env.Do("GET", "/metrics", "", nil)
	body := string(res.Body)
	for _, want := range []string{`samverkan_http_requests_total{code="401",method="GET",url="/api/v1/organisations"}`, "samverkan_http_request_duration_seconds_bucket", "go_sql_open_connections"} {
		if !strings.Contains(body, want) && !strings.Contains(strings.ReplaceAll(body, `host="",`, ""), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestSecurityHeadersAndCORS(t *testing.T) {
	env := apptest.New(t, func(c *config.Config) { c.CORSOrigins = []string{"https://samverkan.goteborg.se"} })
	res := env.Do("GET", "/healthz", "", nil, apptest.H("Origin", "https://evil.example"))
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("an unknown origin was allowed: %q", got)
	}
	for _, h := range []string{"X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy", "X-Request-Id"} {
		if res.Header.Get(h) == "" {
			t.Errorf("missing %s", h)
		}
	}
	res = env.Do("GET", "/healthz", "", nil, apptest.H("Origin", "https://samverkan.goteborg.se"))
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "https://samverkan.goteborg.se" {
		t.Errorf("the allowed origin got %q", got)
	}
}

func TestGracefulShutdownFinishesRequestsInFlight(t *testing.T) {
	env := apptest.New(t, func(c *config.Config) { c.ShutdownDelay = 300 * time.Millisecond })
	started := make(chan struct{})
	env.App.Server.Echo.GET("/test/slow", func(c echo.Context) error {
		close(started)
		time.Sleep(500 * time.Millisecond)
		return c.String(http.StatusOK, "done")
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + l.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- env.App.Server.Serve(ctx, l) }()

	type result struct {
		code int
		err  error
	}
	slow := make(chan result, 1)
	go func() {
		res, err := http.Get(base + "/test/slow")
		if err != nil {
			slow <- result{err: err}
			return
		}
		res.Body.Close()
		slow <- result{code: res.StatusCode}
	}()
	<-started
	cancel() // as SIGTERM does
	time.Sleep(50 * time.Millisecond)
	res, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatalf("/readyz during the shutdown delay: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz during shutdown: %d, want 503", res.StatusCode)
	}
	if r := <-slow; r.err != nil || r.code != http.StatusOK {
		t.Fatalf("request in flight: %d, %v", r.code, r.err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		t.Fatalf("Serve: %v", err)
	}
}

func TestListsCarryAnETagAndAnswer304(t *testing.T) {
	env := apptest.New(t)
	_, viewer := env.NewUser(auth.RoleViewer)
	first := env.Do("GET", "/api/v1/districts", viewer, nil)
	tag := first.Header.Get("ETag")
	if first.Code != 200 || tag == "" {
		t.Fatalf("list: %d, ETag %q", first.Code, tag)
	}
	again := env.Do("GET", "/api/v1/districts", viewer, nil, apptest.H("If-None-Match", tag))
	if again.Code != http.StatusNotModified || len(again.Body) != 0 {
		t.Fatalf("If-None-Match: %d %q", again.Code, again.Body)
	}
	csv := env.Do("GET", "/api/v1/organisations?format=csv", viewer, nil)
	if csv.Code != 200 || csv.Header.Get("ETag") != "" {
		t.Fatalf("csv: %d %v", csv.Code, csv.Header)
	}
}
