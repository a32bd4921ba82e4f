package auth

import (
	"context"
	"math"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/platform/problem"
	"github.com/samverkan/samverkan/pkg/platform/ratelimit"
	"github.com/samverkan/samverkan/pkg/platform/web"
)

// Authenticate requires a valid bearer access token and makes its principal
// available to the handler (PrincipalOf) and to services (FromContext).
func Authenticate(t *Tokens) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Request().Header.Get(echo.HeaderAuthorization)
			scheme, raw, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(raw) == "" {
				return problem.Unauthenticated("unauthenticated", "sign in and send the access token as Authorization: Bearer …")
			}
			p, err := t.Verify(strings.TrimSpace(raw))
			if err != nil {
				return err
			}
			c.Set(principalKey, p)
			c.Set(web.ActorKey, p.Key())
			c.SetRequest(c.Request().WithContext(context.WithValue(c.Request().Context(), ctxKey{}, p)))
			return next(c)
		}
	}
}

// Limits is how many requests a minute callers may make: PerMinute each,
// unless an API client has a limit of its own. PerMinute zero: no limit
// but the clients' own.
type Limits struct {
	Limiter   *ratelimit.Limiter
	PerMinute int
}

// RateLimit answers 429 with Retry-After to a caller past their limit: the
// principal when signed in, otherwise the client address. Every answer it
// counts says the limit, what is left of it and the seconds until it resets
// (RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset).
func (l Limits) RateLimit(next echo.HandlerFunc) echo.HandlerFunc {
	if l.Limiter == nil {
		return next
	}
	return func(c echo.Context) error {
		key, limit := "ip:"+c.RealIP(), l.PerMinute
		if p, ok := c.Get(principalKey).(Principal); ok {
			key = p.Key()
			if p.RateLimit > 0 {
				limit = p.RateLimit
			}
		}
		if limit <= 0 {
			return next(c)
		}
		d := l.Limiter.Take(key, limit)
		h := c.Response().Header()
		h.Set("RateLimit-Limit", strconv.Itoa(limit))
		h.Set("RateLimit-Remaining", strconv.Itoa(d.Remaining))
		h.Set("RateLimit-Reset", strconv.Itoa(int(math.Ceil(d.Reset.Seconds()))))
		if !d.OK {
			return problem.TooMany("rate_limited", "too many requests: at most "+strconv.Itoa(limit)+" a minute; wait and retry", d.Reset)
		}
		return next(c)
	}
}

// Require answers 403 unless the caller holds perm.
func Require(perm Permission) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !Allows(PrincipalOf(c), perm) {
				return problem.Forbidden("your role or scopes do not allow this (" + string(perm) + ")")
			}
			return next(c)
		}
	}
}
