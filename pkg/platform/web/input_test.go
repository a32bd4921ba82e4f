package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/platform/problem"
)

func inputServer() *echo.Echo {
	e := echo.New()
	e.HTTPErrorHandler = ErrorHandler(nil)
	e.Use(CleanInput)
	ok := func(c echo.Context) error { return c.String(http.StatusOK, "ok") }
	e.GET("/items", ok)
	e.GET("/items/:id", ok, PathParams)
	e.GET("/items/:id/parts/:part_id", ok, PathParams)
	e.GET("/lists/:list", ok, PathParams)
	return e
}

func TestCleanInputAndPathParams(t *testing.T) {
	const id = "0b5e4c8e-7d1a-4a51-9f3e-2f8c6a1d9b10"
	tests := []struct {
		name, target string
		header       string // a value for X-Test
		status       int
		code, field  string
	}{
		{"plain", "/items?municipality=1480", "", 200, "", ""},
		{"NUL in a query value", "/items?municipality=a%00b", "", 400, "invalid_characters", "municipality"},
		{"invalid UTF-8 in a query value", "/items?q=%ff", "", 400, "invalid_characters", "q"},
		{"NUL in a query name", "/items?a%00=1", "", 400, "invalid_characters", "a\uFFFD"},
		{"malformed escape", "/items?q=%zz", "", 400, "invalid_query", ""},
		{"NUL in the path", "/items/a%00b", "", 400, "invalid_characters", "path"},
		{"invalid UTF-8 in a header", "/items", "\xff", 400, "invalid_characters", "X-Test"},
		{"an id", "/items/" + id, "", 200, "", ""},
		{"an id that is no UUID", "/items/42", "", 404, "not_found", ""},
		{"an empty id", "/items//parts/" + id, "", 404, "not_found", ""},
		{"a sub-id that is no UUID", "/items/" + id + "/parts/x", "", 404, "not_found", ""},
		{"a code", "/lists/sectors", "", 200, "", ""},
		{"an empty code at the end", "/lists/", "", 404, "route_not_found", ""},
	}
	e := inputServer()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			u, err := req.URL.Parse(tt.target)
			if err != nil {
				t.Fatal(err)
			}
			req.URL, req.RequestURI = u, tt.target
			if tt.header != "" {
				req.Header["X-Test"] = []string{tt.header}
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.status == 200 {
				return
			}
			var p problem.Error
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Header().Get("Content-Type") != problem.ContentType {
				t.Fatalf("not a problem: %v %s", err, rec.Body)
			}
			if p.Code != tt.code || (tt.field != "" && (len(p.Errors) != 1 || p.Errors[0].Field != tt.field)) {
				t.Errorf("problem %+v, want %s naming %q", p, tt.code, tt.field)
			}
		})
	}
}

func TestEntityNamesTheParameter(t *testing.T) {
	for route, want := range map[string]string{"/webhooks/:id/deliveries/:delivery_id/redeliver delivery_id": "delivery",
		"/matching/rounds/:id id": "round", "/action-plan-activities/:id id": "action-plan-activity", "/matching/matches/:id/partnership id": "match"} {
		var r, p string
		for i := len(route) - 1; i >= 0; i-- {
			if route[i] == ' ' {
				r, p = route[:i], route[i+1:]
				break
			}
		}
		if got := entity(r, p); got != want {
			t.Errorf("entity(%s, %s) = %s, want %s", r, p, got, want)
		}
	}
}
