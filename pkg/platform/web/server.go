// Package web is the HTTP plumbing every area shares: the Echo instance and
// its middleware, the problem+json error handler, strict JSON decoding, ETags,
// idempotency keys, CSV answers, health and graceful shutdown.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo-contrib/echoprometheus"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
)

// Options configure the HTTP layer.
type Options struct {
	BodyLimit      string                  // e.g. "1M"
	LargeBody      func(echo.Context) bool // requests that set their own, larger limit (uploads)
	CORSOrigins    []string
	TrustedProxies []*net.IPNet // whose X-Forwarded-For names the client; none: the peer address is the client
	ReadTimeout    time.Duration
	WriteTimeout   time.Duration
	RequestTimeout time.Duration // how long a request may work (its context's deadline); uploads are exempt
	IdleTimeout    time.Duration
	ShutdownDelay  time.Duration
}

// Server is the Echo instance with its readiness flag.
type Server struct {
	Echo  *echo.Echo
	log   *slog.Logger
	opt   Options
	ready atomic.Bool
}

// New builds the Echo instance with the shared middleware, in this order:
// panic recovery, request id, logging, metrics, security headers, the
// refusal of NUL bytes and invalid UTF-8 in path, query and headers, gzip,
// body limit, content ETags, the request's deadline, and CORS. Metrics are registered with reg.
func New(opt Options, log *slog.Logger, reg prometheus.Registerer) (*Server, error) {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.JSONSerializer = jsonSerializer{}
	e.HTTPErrorHandler = ErrorHandler(log)
	e.Server.ReadTimeout = opt.ReadTimeout
	e.Server.ReadHeaderTimeout = 10 * time.Second
	e.Server.MaxHeaderBytes = maxHeadBytes
	e.Pre(headLimits)
	e.Server.WriteTimeout = opt.WriteTimeout
	e.Server.IdleTimeout = opt.IdleTimeout
	// The client address feeds sign-in throttling and the audit trail, so
	// forwarding headers count only from proxies we were told to trust.
	e.IPExtractor = echo.ExtractIPDirect()
	if len(opt.TrustedProxies) > 0 {
		trust := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
		for _, n := range opt.TrustedProxies {
			trust = append(trust, echo.TrustIPRange(n))
		}
		e.IPExtractor = echo.ExtractIPFromXFFHeader(trust...)
	}

	metrics, err := echoprometheus.MiddlewareConfig{
		Namespace:                 "samverkan",
		Subsystem:                 "http",
		Registerer:                reg,
		DoNotUseRequestPathFor404: true,
		StatusCodeResolver:        StatusOf,
		LabelFuncs:                map[string]echoprometheus.LabelValueFunc{"host": func(echo.Context, error) string { return "" }},
		Skipper:                   func(c echo.Context) bool { return c.Path() == "/metrics" },
	}.ToMiddleware()
	if err != nil {
		return nil, err
	}

	e.Use(
		middleware.RecoverWithConfig(middleware.RecoverConfig{
			DisableStackAll: true,
			LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
				log.Error("panic", "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "err", err, "stack", string(stack))
				return errors.New("panic recovered") // never the panic's own text: it may hold internals
			},
		}),
		middleware.RequestIDWithConfig(middleware.RequestIDConfig{Generator: uuid.NewString}),
		requestLogger(log),
		metrics,
		middleware.SecureWithConfig(middleware.SecureConfig{
			XSSProtection:         "0",
			ContentTypeNosniff:    "nosniff",
			XFrameOptions:         "DENY",
			HSTSMaxAge:            31536000,
			ReferrerPolicy:        "no-referrer",
			ContentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
		}),
		CleanInput,
		compress(),
		middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: opt.BodyLimit, Skipper: func(c echo.Context) bool {
			return opt.LargeBody != nil && opt.LargeBody(c)
		}}),
		ContentETag,
		deadline(opt),
	)
	if len(opt.CORSOrigins) > 0 { // none: same-origin only, no CORS headers at all
		e.Use(middleware.CORSWithConfig(middleware.CORSConfig{
			AllowOrigins: opt.CORSOrigins,
			AllowMethods: []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPatch, http.MethodDelete},
			AllowHeaders: []string{echo.HeaderAuthorization, echo.HeaderContentType, "If-Match", "If-None-Match", "Idempotency-Key"},
			ExposeHeaders: []string{"ETag", "Location", echo.HeaderXRequestID, "Retry-After", "Idempotent-Replayed",
				"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"},
			MaxAge: 600,
		}))
	}
	s := &Server{Echo: e, log: log, opt: opt}
	s.ready.Store(true)
	return s, nil
}

// deadline gives each request's context its deadline, so that a request
// waiting for a database connection or a slow query is answered 503 in
// time instead of holding its client until the write timeout. Uploads,
// which set their own limits, have none.
func deadline(opt Options) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if opt.RequestTimeout <= 0 || (opt.LargeBody != nil && opt.LargeBody(c)) {
				return next(c)
			}
			ctx, cancel := context.WithTimeout(c.Request().Context(), opt.RequestTimeout)
			defer cancel()
			c.SetRequest(c.Request().WithContext(ctx))
			return next(c)
		}
	}
}

func requestLogger(log *slog.Logger) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogLatency: true, LogMethod: true, LogRoutePath: true, LogURIPath: true,
		LogRequestID: true, LogRemoteIP: true, LogError: true, LogResponseSize: true,
		HandleError: false,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			status := v.Status
			if v.Error != nil {
				status = ToProblem(v.Error).Status
			}
			level := slog.LevelInfo
			switch {
			case status == http.StatusServiceUnavailable:
				level = slog.LevelWarn
			case status >= 500:
				level = slog.LevelError
			}
			log.LogAttrs(c.Request().Context(), level, "request",
				slog.String("request_id", v.RequestID),
				slog.String("method", v.Method),
				slog.String("route", v.RoutePath),
				slog.String("path", v.URIPath),
				slog.Int("status", status),
				slog.Duration("latency", v.Latency),
				slog.Int64("bytes", v.ResponseSize),
				slog.String("remote_ip", v.RemoteIP),
				slog.String("actor", ActorOf(c)),
			)
			return nil
		},
	})
}

// ActorKey is where authentication leaves a printable actor for the log line.
const ActorKey = "samverkan.actor"

// ActorOf is the authenticated actor of the request, for logs.
func ActorOf(c echo.Context) string {
	if s, ok := c.Get(ActorKey).(string); ok {
		return s
	}
	return ""
}

// Healthz answers 200 while the process is alive.
func (s *Server) Healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// Readyz returns the readiness handler: 503 once shutdown has begun or when
// ping cannot reach the database.
func (s *Server) Readyz(ping func(context.Context) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !s.ready.Load() {
			return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "shutting_down"})
		}
		ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
		defer cancel()
		if err := ping(ctx); err != nil {
			return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "database_unreachable"})
		}
		return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
	}
}

// Serve answers on l until ctx is cancelled, then shuts down gracefully:
// /readyz turns 503 at once, the listener closes after ShutdownDelay, and
// requests in flight get up to 30 seconds to finish.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	errc := make(chan error, 1)
	go func() {
		s.Echo.Listener = l
		errc <- s.Echo.Start("")
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.ready.Store(false)
	s.log.Info("shutting down", "delay", s.opt.ShutdownDelay)
	time.Sleep(s.opt.ShutdownDelay)
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.Echo.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
