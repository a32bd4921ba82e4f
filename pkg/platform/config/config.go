// Package config reads Samverkan's configuration from environment variables,
// which command-line flags may override. Nothing here is global: main builds a
// Config and passes it on.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is everything the samverkan binary can be told at start.
type Config struct {
	Addr        string // SAMVERKAN_ADDR
	DatabaseURL string // DATABASE_URL; empty starts the embedded PostgreSQL
	DataDir     string // SAMVERKAN_DATA_DIR

	DBMaxConns         int           // SAMVERKAN_DB_MAX_CONNS
	DBStatementTimeout time.Duration // SAMVERKAN_DB_STATEMENT_TIMEOUT
	SkipMigrations     bool          // SAMVERKAN_SKIP_MIGRATIONS

	BootstrapAdminEmail    string // SAMVERKAN_BOOTSTRAP_ADMIN_EMAIL
	BootstrapAdminPassword string // SAMVERKAN_BOOTSTRAP_ADMIN_PASSWORD
	// BootstrapTenant, a kommunkod or a region's county code, makes the
	// bootstrap account that tenant's first administrator (a one-city
	// installation) instead of the platform operator.
	BootstrapTenant string // SAMVERKAN_BOOTSTRAP_TENANT
	Demo            bool   // SAMVERKAN_DEMO

	CORSOrigins    []string      // SAMVERKAN_CORS_ORIGINS, comma separated
	TrustedProxies []string      // SAMVERKAN_TRUSTED_PROXIES: CIDRs whose X-Forwarded-For is believed
	BodyLimit      string        // SAMVERKAN_BODY_LIMIT, e.g. "1M"
	ReadTimeout    time.Duration // SAMVERKAN_READ_TIMEOUT
	WriteTimeout   time.Duration // SAMVERKAN_WRITE_TIMEOUT
	RequestTimeout time.Duration // SAMVERKAN_REQUEST_TIMEOUT: how long a request may work before it is answered 503
	IdleTimeout    time.Duration // SAMVERKAN_IDLE_TIMEOUT
	ShutdownDelay  time.Duration // SAMVERKAN_SHUTDOWN_DELAY: how long /readyz answers 503 before the listener closes
	LogLevel       string        // SAMVERKAN_LOG_LEVEL: debug, info, warn, error
	DebugAddr      string        // SAMVERKAN_DEBUG_ADDR: where Go's profiler answers (/debug/pprof/); empty: nowhere

	JWTKeyFile      string        // SAMVERKAN_JWT_KEY_FILE; empty: <data dir>/jwt-ed25519.pem, generated once
	JWTIssuer       string        // SAMVERKAN_JWT_ISSUER
	JWTAudience     string        // SAMVERKAN_JWT_AUDIENCE
	AccessTokenTTL  time.Duration // SAMVERKAN_ACCESS_TOKEN_TTL, at most 15 minutes
	RefreshTokenTTL time.Duration // SAMVERKAN_REFRESH_TOKEN_TTL

	SignInMaxFailuresPerAccount int           // SAMVERKAN_SIGNIN_MAX_FAILURES_ACCOUNT
	SignInMaxFailuresPerAddress int           // SAMVERKAN_SIGNIN_MAX_FAILURES_ADDRESS
	SignInFailureWindow         time.Duration // SAMVERKAN_SIGNIN_FAILURE_WINDOW

	RateLimit int // SAMVERKAN_RATE_LIMIT: requests a minute per user, API client or (before sign-in) address; 0: none but API clients' own

	WebhookAllowHosts []string // SAMVERKAN_WEBHOOK_ALLOW_HOSTS: hosts webhooks may reach over http or on internal addresses

	WebDir string // SAMVERKAN_WEB_DIR: the built web app, served at / when it holds an index.html

	// BenchWithoutRowSecurity is for `make bench` alone, which measures what
	// row-level security costs by running the service with it and without
	// it: the pool and its sessions run as the login role (a superuser
	// bypasses the policies) instead of samverkan_app. Tenants are then
	// kept apart only by the services' own filters, so serve refuses it
	// unless it is also given the command-line flag -benchmark, and says so
	// loudly in its log.
	BenchWithoutRowSecurity bool // SAMVERKAN_BENCH_WITHOUT_ROW_SECURITY
	Benchmark               bool // -benchmark (a flag only: never from the environment)

	SMTPURL            string // SAMVERKAN_SMTP_URL: where reminder e-mails go; empty logs them
	PublicURL          string // SAMVERKAN_PUBLIC_URL: the web app's address, for links in e-mails
	ReminderEndingDays int    // SAMVERKAN_REMINDER_ENDING_DAYS: remind of partnerships ending within this many days
}

// Default is the configuration with nothing set: a developer's laptop.
func Default() Config {
	return Config{
		Addr:                        "127.0.0.1:8080",
		DataDir:                     "./var",
		DBMaxConns:                  20,
		DBStatementTimeout:          10 * time.Second,
		BodyLimit:                   "1M",
		ReadTimeout:                 15 * time.Second,
		WriteTimeout:                30 * time.Second,
		RequestTimeout:              20 * time.Second,
		IdleTimeout:                 120 * time.Second,
		LogLevel:                    "info",
		JWTIssuer:                   "samverkan",
		JWTAudience:                 "samverkan-api",
		AccessTokenTTL:              15 * time.Minute,
		RefreshTokenTTL:             30 * 24 * time.Hour,
		SignInMaxFailuresPerAccount: 5,
		SignInMaxFailuresPerAddress: 20,
		SignInFailureWindow:         15 * time.Minute,
		RateLimit:                   600,
		ReminderEndingDays:          90,
		WebDir:                      "frontend/dist",
	}
}

// Load reads the environment (through getenv) and then the flags in args.
// Flags win over the environment, which wins over the defaults.
func Load(getenv func(string) string, fs *flag.FlagSet, args []string) (Config, error) {
	c := Default()
	var errs []error
	str := func(dst *string, env string) {
		if v := getenv(env); v != "" {
			*dst = v
		}
	}
	num := func(dst *int, env string) {
		if v := getenv(env); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not a whole number", env, v))
				return
			}
			*dst = n
		}
	}
	dur := func(dst *time.Duration, env string) {
		if v := getenv(env); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not a duration such as 30s or 5m", env, v))
				return
			}
			*dst = d
		}
	}
	boolean := func(dst *bool, env string) {
		if v := getenv(env); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not 1/0 or true/false", env, v))
				return
			}
			*dst = b
		}
	}

	str(&c.Addr, "SAMVERKAN_ADDR")
	str(&c.DatabaseURL, "DATABASE_URL")
	str(&c.DataDir, "SAMVERKAN_DATA_DIR")
	num(&c.DBMaxConns, "SAMVERKAN_DB_MAX_CONNS")
	dur(&c.DBStatementTimeout, "SAMVERKAN_DB_STATEMENT_TIMEOUT")
	boolean(&c.SkipMigrations, "SAMVERKAN_SKIP_MIGRATIONS")
	str(&c.BootstrapAdminEmail, "SAMVERKAN_BOOTSTRAP_ADMIN_EMAIL")
	str(&c.BootstrapAdminPassword, "SAMVERKAN_BOOTSTRAP_ADMIN_PASSWORD")
	str(&c.BootstrapTenant, "SAMVERKAN_BOOTSTRAP_TENANT")
	boolean(&c.Demo, "SAMVERKAN_DEMO")
	if v := getenv("SAMVERKAN_CORS_ORIGINS"); v != "" {
		c.CORSOrigins = splitList(v)
	}
	if v := getenv("SAMVERKAN_WEBHOOK_ALLOW_HOSTS"); v != "" {
		c.WebhookAllowHosts = splitList(strings.ToLower(v))
	}
	if v := getenv("SAMVERKAN_TRUSTED_PROXIES"); v != "" {
		c.TrustedProxies = splitList(v)
		for _, cidr := range c.TrustedProxies {
			if _, _, err := net.ParseCIDR(cidr); err != nil {
				errs = append(errs, fmt.Errorf("SAMVERKAN_TRUSTED_PROXIES: %q is not a CIDR such as 10.0.0.0/8", cidr))
			}
		}
	}
	str(&c.BodyLimit, "SAMVERKAN_BODY_LIMIT")
	dur(&c.ReadTimeout, "SAMVERKAN_READ_TIMEOUT")
	dur(&c.WriteTimeout, "SAMVERKAN_WRITE_TIMEOUT")
	dur(&c.RequestTimeout, "SAMVERKAN_REQUEST_TIMEOUT")
	dur(&c.IdleTimeout, "SAMVERKAN_IDLE_TIMEOUT")
	dur(&c.ShutdownDelay, "SAMVERKAN_SHUTDOWN_DELAY")
	str(&c.LogLevel, "SAMVERKAN_LOG_LEVEL")
	str(&c.DebugAddr, "SAMVERKAN_DEBUG_ADDR")
	str(&c.JWTKeyFile, "SAMVERKAN_JWT_KEY_FILE")
	str(&c.JWTIssuer, "SAMVERKAN_JWT_ISSUER")
	str(&c.JWTAudience, "SAMVERKAN_JWT_AUDIENCE")
	dur(&c.AccessTokenTTL, "SAMVERKAN_ACCESS_TOKEN_TTL")
	dur(&c.RefreshTokenTTL, "SAMVERKAN_REFRESH_TOKEN_TTL")
	num(&c.SignInMaxFailuresPerAccount, "SAMVERKAN_SIGNIN_MAX_FAILURES_ACCOUNT")
	num(&c.SignInMaxFailuresPerAddress, "SAMVERKAN_SIGNIN_MAX_FAILURES_ADDRESS")
	dur(&c.SignInFailureWindow, "SAMVERKAN_SIGNIN_FAILURE_WINDOW")
	num(&c.RateLimit, "SAMVERKAN_RATE_LIMIT")
	if c.RateLimit < 0 {
		errs = append(errs, errors.New("SAMVERKAN_RATE_LIMIT must be 0 (no limit) or more"))
	}
	boolean(&c.BenchWithoutRowSecurity, "SAMVERKAN_BENCH_WITHOUT_ROW_SECURITY")
	str(&c.WebDir, "SAMVERKAN_WEB_DIR")
	str(&c.SMTPURL, "SAMVERKAN_SMTP_URL")
	str(&c.PublicURL, "SAMVERKAN_PUBLIC_URL")
	num(&c.ReminderEndingDays, "SAMVERKAN_REMINDER_ENDING_DAYS")
	if c.ReminderEndingDays < 1 || c.ReminderEndingDays > 3650 {
		errs = append(errs, fmt.Errorf("SAMVERKAN_REMINDER_ENDING_DAYS: %d is not from 1 to 3650", c.ReminderEndingDays))
	}

	if fs != nil {
		var cors string
		fs.StringVar(&c.Addr, "addr", c.Addr, "address to listen on (SAMVERKAN_ADDR)")
		fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "PostgreSQL URL; empty starts the embedded server (DATABASE_URL)")
		fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "folder for the embedded database and the signing key (SAMVERKAN_DATA_DIR)")
		fs.IntVar(&c.DBMaxConns, "db-max-conns", c.DBMaxConns, "database connection pool size (SAMVERKAN_DB_MAX_CONNS)")
		fs.DurationVar(&c.DBStatementTimeout, "db-statement-timeout", c.DBStatementTimeout, "longest a single SQL statement may run (SAMVERKAN_DB_STATEMENT_TIMEOUT)")
		fs.BoolVar(&c.SkipMigrations, "skip-migrations", c.SkipMigrations, "do not apply pending migrations at start (SAMVERKAN_SKIP_MIGRATIONS)")
		fs.BoolVar(&c.Demo, "demo", c.Demo, "load the demo data into an empty database (SAMVERKAN_DEMO)")
		fs.StringVar(&cors, "cors-origins", strings.Join(c.CORSOrigins, ","), "comma-separated origins allowed by CORS (SAMVERKAN_CORS_ORIGINS)")
		fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "debug, info, warn or error (SAMVERKAN_LOG_LEVEL)")
		fs.BoolVar(&c.Benchmark, "benchmark", false, "this is a benchmark: allow SAMVERKAN_BENCH_WITHOUT_ROW_SECURITY (never in production)")
		if err := fs.Parse(args); err != nil {
			return c, err
		}
		c.CORSOrigins = splitList(cors)
	}
	if c.AccessTokenTTL <= 0 || c.AccessTokenTTL > 15*time.Minute {
		errs = append(errs, errors.New("SAMVERKAN_ACCESS_TOKEN_TTL must be between 1s and 15m"))
	}
	if c.RequestTimeout <= 0 || (c.WriteTimeout > 0 && c.RequestTimeout >= c.WriteTimeout) {
		errs = append(errs, errors.New("SAMVERKAN_REQUEST_TIMEOUT must be positive and shorter than SAMVERKAN_WRITE_TIMEOUT, so the answer can still be written"))
	}
	if c.DBMaxConns < 1 {
		errs = append(errs, errors.New("SAMVERKAN_DB_MAX_CONNS must be at least 1"))
	}
	if c.BenchWithoutRowSecurity && !c.Benchmark {
		errs = append(errs, errors.New("SAMVERKAN_BENCH_WITHOUT_ROW_SECURITY lets every request read every tenant's rows and is for `make bench` only; "+
			"refusing to start without the -benchmark flag"))
	}
	if (c.BootstrapAdminEmail == "") != (c.BootstrapAdminPassword == "") {
		errs = append(errs, errors.New("set both SAMVERKAN_BOOTSTRAP_ADMIN_EMAIL and SAMVERKAN_BOOTSTRAP_ADMIN_PASSWORD, or neither"))
	}
	return c, errors.Join(errs...)
}

// FromEnv reads the environment only, for commands that take no flags.
func FromEnv() (Config, error) { return Load(os.Getenv, nil, nil) }

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
