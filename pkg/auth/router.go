package auth

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/web"
)

// Route is one registered endpoint and the permission it needs.
type Route struct {
	Method     string
	Path       string
	Permission Permission
}

// Router registers routes together with their permission, so that no route
// exists without a policy entry and the table can be tested against Policy.
type Router struct {
	e      *echo.Echo
	prefix string
	authn  echo.MiddlewareFunc
	limit  echo.MiddlewareFunc
	scoped echo.MiddlewareFunc
	onPost []echo.MiddlewareFunc
	routes *[]Route
}

// NewRouter registers routes on e. Every route but the probes is rate
// limited (after authentication, so per principal); onPost runs on every
// authenticated POST (the idempotency keys). An authenticated handler runs
// in a database session scoped to the caller's tenant (Scoped).
func NewRouter(e *echo.Echo, t *Tokens, db *gorm.DB, limits Limits, onPost ...echo.MiddlewareFunc) *Router {
	return &Router{e: e, authn: Authenticate(t), limit: limits.RateLimit, scoped: Scoped(db), onPost: onPost, routes: &[]Route{}}
}

// Scoped runs the handler in a database session for the caller's scope
// (database.Within): every query it makes sees only the caller's tenant,
// whatever its own conditions say. What it wrote outside a transaction is
// committed before the answer is written.
func Scoped(db *gorm.DB) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p := PrincipalOf(c)
			req := c.Request()
			return database.Within(req.Context(), db, p.Scope(), func(ctx context.Context) error {
				c.SetRequest(req.WithContext(ctx))
				defer c.SetRequest(req)
				c.Response().Before(func() { _ = database.Flush(ctx) })
				return next(c)
			})
		}
	}
}

// probes are the routes infrastructure calls, which are never limited.
var probes = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// Group returns a router for paths under prefix.
func (r *Router) Group(prefix string) *Router {
	g := *r
	g.prefix = r.prefix + prefix
	return &g
}

// Add registers h for method and path, guarded by perm; a GET route answers
// HEAD too. A path parameter that is empty, or an id that is not a UUID, is
// 404 once the caller is known to be allowed (web.PathParams), before any
// handler reads it.
func (r *Router) Add(method, path string, perm Permission, h echo.HandlerFunc) {
	full := r.prefix + path
	var mw []echo.MiddlewareFunc
	switch {
	case perm != Public:
		mw = append(mw, r.authn, r.limit, Require(perm), web.PathParams)
		if method == http.MethodPost {
			mw = append(mw, r.onPost...)
		}
		mw = append(mw, r.scoped)
	case !probes[full]:
		mw = append(mw, r.limit, web.PathParams)
	}
	r.e.Add(method, full, h, mw...)
	if method == http.MethodGet { // RFC 9110 §9.3.2: whatever answers GET answers HEAD
		r.e.Add(http.MethodHead, full, h, mw...)
	}
	*r.routes = append(*r.routes, Route{Method: method, Path: full, Permission: perm})
}

// GET registers a GET route.
func (r *Router) GET(path string, perm Permission, h echo.HandlerFunc) {
	r.Add(http.MethodGet, path, perm, h)
}

// POST registers a POST route.
func (r *Router) POST(path string, perm Permission, h echo.HandlerFunc) {
	r.Add(http.MethodPost, path, perm, h)
}

// PUT registers a PUT route.
func (r *Router) PUT(path string, perm Permission, h echo.HandlerFunc) {
	r.Add(http.MethodPut, path, perm, h)
}

// PATCH registers a PATCH route.
func (r *Router) PATCH(path string, perm Permission, h echo.HandlerFunc) {
	r.Add(http.MethodPatch, path, perm, h)
}

// DELETE registers a DELETE route.
func (r *Router) DELETE(path string, perm Permission, h echo.HandlerFunc) {
	r.Add(http.MethodDelete, path, perm, h)
}

// Routes is every route registered through this router or its groups.
func (r *Router) Routes() []Route { return *r.routes }
