// Package app wires Samverkan together: it builds every area's service over
// one database handle and registers every route with its permission.
//
//	@title						Samverkan API
//	@version					1
//	@description				**Svenska.** Samverkans API är registret över kommunens samverkan med civilsamhället: organisationer, partnerskap (IOP, bidrag, upphandlingar, EU-projekt), finansiering och uppföljning. Logga in med Authorize (demo: admin@demo.samverkan.se / samverkan-demo) och prova anropen här. En klient för kommunens egna system skapas av en administratör (POST /api-clients). Gränser: 600 anrop i minuten (429 med Retry-After), kroppar högst 1 MiB, sidor högst 200 rader, åtkomsttoken högst 15 minuter. Mer i docs/api.md.
//	@description				**English.** The system of record for partnerships between Swedish municipalities and civil society: organisations, partnerships, funding and evaluation. Sign in with Authorize and try the operations here. A client for another system is created by an administrator (POST /api-clients); generated clients: TypeScript (openapi-typescript), Go (api/client), and examples in docs/api.md. Limits: 600 requests a minute (429 with Retry-After), bodies of at most 1 MiB, pages of at most 200 rows, access tokens of at most 15 minutes.
//	@description				Any request may be answered 429 (past the caller's rate limit) or 503 (the database is unreachable, or the request took too long), both with Retry-After.
//	@description				Errors are RFC 9457 problem details (application/problem+json) with a stable `code`; validation errors list each field. Lists use cursor pagination (`limit`, `cursor`, `next_cursor`). Every mutable resource has a `version` and an ETag; PATCH and DELETE need `If-Match`. POST accepts `Idempotency-Key`.
//	@contact.name				Samverkan
//	@license.name				EUPL-1.2
//	@BasePath					/api/v1
//	@securityDefinitions.apikey	bearer
//	@in							header
//	@name						Authorization
//	@description				An access token from POST /auth/token, sent as `Bearer <token>`.
package app

import (
	"context"
	"crypto/ed25519"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/changes"
	"github.com/samverkan/samverkan/pkg/codelists"
	"github.com/samverkan/samverkan/pkg/collaboration"
	"github.com/samverkan/samverkan/pkg/demo"
	"github.com/samverkan/samverkan/pkg/documents"
	"github.com/samverkan/samverkan/pkg/evaluation"
	"github.com/samverkan/samverkan/pkg/funding"
	"github.com/samverkan/samverkan/pkg/geography"
	"github.com/samverkan/samverkan/pkg/imports"
	"github.com/samverkan/samverkan/pkg/notifications"
	"github.com/samverkan/samverkan/pkg/opendata"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/partnerships"
	"github.com/samverkan/samverkan/pkg/platform/config"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/problem"
	"github.com/samverkan/samverkan/pkg/platform/ratelimit"
	"github.com/samverkan/samverkan/pkg/platform/web"
	"github.com/samverkan/samverkan/pkg/reports"
	"github.com/samverkan/samverkan/pkg/tenants"
	"github.com/samverkan/samverkan/pkg/webhooks"
)

// App is the assembled service.
type App struct {
	Server *web.Server
	Router *auth.Router
	Tokens *auth.Tokens
	// Webhooks deliver in the background; serve runs them.
	Webhooks *webhooks.Service
	// Notifications scan for reminders and e-mail them in the background;
	// serve runs them.
	Notifications *notifications.Service
	Imports       *imports.Service
	// Limiter counts requests for the rate limits; serve shares its counts
	// with the other replicas (Run).
	Limiter *ratelimit.Limiter
	// Instance is this process among the replicas; serve keeps it alive (Run).
	Instance *web.Instance
	Services
}

// Options are what New needs besides the configuration.
type Options struct {
	Password auth.PasswordParams // argon2id costs; zero means auth.DefaultPasswordParams
}

// New builds the service over db.
func New(cfg config.Config, db *gorm.DB, key ed25519.PrivateKey, log *slog.Logger, opt Options) (*App, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(database.SQL(db), "samverkan"))
	var proxies []*net.IPNet
	for _, cidr := range cfg.TrustedProxies {
		_, n, err := net.ParseCIDR(cidr)
		if err != nil {
			return nil, err
		}
		proxies = append(proxies, n)
	}
	srv, err := web.New(web.Options{
		BodyLimit: cfg.BodyLimit, LargeBody: func(c echo.Context) bool { return documents.IsUpload(c) || imports.IsUpload(c) }, CORSOrigins: cfg.CORSOrigins, TrustedProxies: proxies, ReadTimeout: cfg.ReadTimeout,
		WriteTimeout: cfg.WriteTimeout, RequestTimeout: cfg.RequestTimeout, IdleTimeout: cfg.IdleTimeout, ShutdownDelay: cfg.ShutdownDelay,
	}, log, reg)
	if err != nil {
		return nil, err
	}
	e := srv.Echo
	contract, err := web.NewContract(api.JSON(), "/api/v1")
	if err != nil {
		return nil, err
	}
	e.Use(auditContext, contract.Enforce, web.IfMatchAny(e))
	if _, err := os.Stat(filepath.Join(cfg.WebDir, "index.html")); err == nil {
		e.Use(webApp(cfg.WebDir))
	}

	if opt.Password == (auth.PasswordParams{}) {
		opt.Password = auth.DefaultPasswordParams
	}
	tokens := auth.NewTokens(key, cfg.JWTIssuer, cfg.JWTAudience, cfg.AccessTokenTTL)
	svc := NewServices(db, tokens, auth.Options{
		Password: opt.Password, RefreshTTL: cfg.RefreshTokenTTL, MaxFailuresAccount: cfg.SignInMaxFailuresPerAccount,
		MaxFailuresAddress: cfg.SignInMaxFailuresPerAddress, FailureWindow: cfg.SignInFailureWindow,
	})

	limiter := ratelimit.New(db, log)
	ictx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	instance, err := web.NewInstance(ictx, db, log)
	cancel()
	if err != nil {
		return nil, err
	}
	r := auth.NewRouter(e, tokens, db, auth.Limits{Limiter: limiter, PerMinute: cfg.RateLimit}, web.Idempotency(db, instance,
		func(c echo.Context) string { return auth.PrincipalOf(c).Key() },
		func(c echo.Context, key string) (bool, error) {
			return audit.Committed(c.Request().Context(), db, auth.PrincipalOf(c).Actor(), key)
		}))
	r.GET("/healthz", auth.Public, srv.Healthz)
	r.GET("/readyz", auth.Public, srv.Readyz(func(ctx context.Context) error { return database.Ping(ctx, db) }))
	r.GET("/metrics", auth.Public, echo.WrapHandler(promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
	api.Register(func(method, path string, h echo.HandlerFunc) { r.Add(method, path, auth.Public, h) })

	v1 := r.Group("/api/v1")
	auth.NewHandler(svc.Auth).Register(v1)
	tenants.NewHandler(svc.Tenants, tokens).Register(v1)
	geography.NewHandler(svc.Geo).Register(v1)
	oh := organisations.NewHandler(svc.Orgs)
	oh.Register(v1)
	oh.RegisterContacts(v1)
	codelists.NewHandler(svc.Codes).Register(v1)
	partnerships.NewHandler(svc.Partnerships).Register(v1)
	funding.NewHandler(svc.Funding, svc.Orgs).Register(v1)
	evaluation.NewHandler(svc.Evaluation).Register(v1)
	documents.NewHandler(svc.Documents).Register(v1)
	reports.NewHandler(reports.NewService(db), svc.Orgs).Register(v1)
	ch := collaboration.NewHandler(svc.Collaboration)
	ch.Register(v1)
	ch.RegisterMatching(v1)
	opendata.NewHandler(opendata.NewService(db, "")).Register(v1)
	feed := changes.NewService(db)
	changes.NewHandler(feed).Register(v1)
	hooks := webhooks.NewService(db, feed, webhooks.Options{AllowHosts: cfg.WebhookAllowHosts}, log)
	webhooks.NewHandler(hooks).Register(v1)
	var mailer notifications.Mailer
	if cfg.SMTPURL != "" {
		m, err := notifications.NewSMTP(cfg.SMTPURL)
		if err != nil {
			return nil, err
		}
		mailer = m
	}
	notes := notifications.NewService(db, mailer, notifications.Options{EndingDays: cfg.ReminderEndingDays, PublicBaseURL: cfg.PublicURL}, log)
	notifications.NewHandler(notes).Register(v1)
	imp := imports.NewService(db, svc.Orgs, svc.Partnerships, svc.Funding, svc.Evaluation)
	imports.NewHandler(imp).Register(v1)
	v1.GET("/audit-events", auth.AuditRead, audit.NewHandler(audit.NewStore(db)).List)

	return &App{Server: srv, Router: r, Tokens: tokens, Services: svc, Webhooks: hooks, Notifications: notes, Imports: imp, Limiter: limiter, Instance: instance}, nil
}

// Services are every area's service, built over one database handle.
type Services = demo.Services

// NewServices builds every area's service over db (a pool or a transaction).
func NewServices(db *gorm.DB, tokens *auth.Tokens, opt auth.Options) Services {
	geo := geography.NewService(db)
	orgs := organisations.NewService(db, geo)
	codes := codelists.NewService(db)
	users := auth.NewService(db, tokens, references{geo: geo, orgs: orgs}, opt)
	ten := tenants.NewService(db, users)
	access := partnerships.NewAccess(db)
	parts := partnerships.NewService(db, access, codes, geo, orgs, ten)
	fund := funding.NewService(db, access, orgs)
	eval := evaluation.NewService(db, access, orgs)
	parts.Attach(summaries{fund, eval}, eval)
	docs := documents.NewService(db, documents.PostgresStorage{}, owners{access, eval})
	coll := collaboration.NewService(db, access, orgs)
	coll.Attach(func(ctx context.Context, tx *gorm.DB, p auth.Principal, req partnerships.NewRequest, partners []string) (string, error) {
		return found(ctx, NewServices(tx, tokens, opt).Partnerships, p, req, partners)
	})
	return Services{
		Tenants:       ten,
		Auth:          users,
		Geo:           geo,
		Orgs:          orgs,
		Codes:         codes,
		Partnerships:  parts,
		Funding:       fund,
		Evaluation:    eval,
		Documents:     docs,
		Collaboration: coll,
	}
}

// found registers the partnership a match becomes, with its partners. A
// match founds a partnership only for those who may register partnerships.
func found(ctx context.Context, parts *partnerships.Service, p auth.Principal, req partnerships.NewRequest, partners []string) (string, error) {
	if !auth.Allows(p, auth.PartnershipsWrite) {
		return "", problem.Forbidden("registering partnerships is not among your permissions")
	}
	pt, err := parts.Create(ctx, p, req)
	if err != nil {
		return "", err
	}
	for _, org := range partners {
		if _, err := parts.AddParty(ctx, p, pt.ID, partnerships.NewPartyRequest{OrganisationID: org, Role: "partner"}); err != nil {
			return "", err
		}
	}
	return pt.ID, nil
}

// owners decides access to what documents hang on.
type owners struct {
	partnerships *partnerships.Access
	evaluations  *evaluation.Service
}

func (o owners) Check(ctx context.Context, tx *gorm.DB, p auth.Principal, ownerType, id string, write bool) error {
	if ownerType == "evaluation" {
		return o.evaluations.CheckEvaluation(ctx, tx, p, id, write)
	}
	check := o.partnerships.Readable
	if write {
		check = o.partnerships.Writable
	}
	_, err := check(ctx, tx, p, id)
	return err
}

// summaries gathers what funding and evaluation add to a partnership's detail.
type summaries struct {
	funding    *funding.Service
	evaluation *evaluation.Service
}

func (s summaries) FundingSummaries(ctx context.Context, ids []string) (map[string]partnerships.FundingSummary, error) {
	return s.funding.FundingSummaries(ctx, ids)
}

func (s summaries) FundingWarnings(ctx context.Context, id string) ([]partnerships.Warning, error) {
	return s.funding.FundingWarnings(ctx, id)
}

func (s summaries) IndicatorSummaries(ctx context.Context, ids []string) (map[string][]partnerships.IndicatorSummary, error) {
	return s.evaluation.IndicatorSummaries(ctx, ids)
}

// LoadDemo loads the demo data (demo.Load): its tenants, and each
// tenant's part in the tenant's own scope and transaction.
func LoadDemo(ctx context.Context, db *gorm.DB, password auth.PasswordParams) (bool, error) {
	if password == (auth.PasswordParams{}) {
		password = auth.DefaultPasswordParams
	}
	return demo.Load(ctx, db, func(tx *gorm.DB) Services {
		return NewServices(tx, nil, auth.Options{Password: password})
	})
}

// auditContext hands the request id and client address to the audit trail.
func auditContext(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := audit.Request{ID: c.Response().Header().Get(echo.HeaderXRequestID), IP: c.RealIP(),
			IdempotencyKey: c.Request().Header.Get("Idempotency-Key")}
		c.SetRequest(c.Request().WithContext(audit.WithRequest(c.Request().Context(), req)))
		return next(c)
	}
}

// references answers the auth area's questions about districts and
// organisations.
type references struct {
	geo  *geography.Service
	orgs *organisations.Service
}

func (r references) MissingDistricts(ctx context.Context, ids []string) ([]string, error) {
	return r.geo.MissingDistricts(ctx, ids)
}

func (r references) OrganisationExists(ctx context.Context, id string) (bool, error) {
	return r.orgs.Visible(ctx, auth.System, id) // users are made by administrators, who see every organisation
}

// webApp serves the built web app: its files, and index.html for every other
// path outside the API so that the app's own routes load on a reload.
func webApp(dir string) echo.MiddlewareFunc {
	return middleware.StaticWithConfig(middleware.StaticConfig{Root: dir, HTML5: true, Skipper: func(c echo.Context) bool {
		p := c.Request().URL.Path
		return strings.HasPrefix(p, "/api/") || p == "/api" || p == "/healthz" || p == "/readyz" || p == "/metrics"
	}})
}
