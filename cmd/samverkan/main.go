// Command samverkan runs the Samverkan API.
//
//	samverkan serve                 start the API (and, with no DATABASE_URL, its own PostgreSQL)
//	samverkan migrate up|down|status
//	samverkan seed                  load the demo data into an empty database
//	samverkan audit verify          check the audit trail's hash chains
//	samverkan backup FILE           write the database to FILE; restore FILE loads it
//	samverkan version
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	neturl "net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/app"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/demo"
	"github.com/samverkan/samverkan/pkg/platform/config"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/pgembed"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `Usage: samverkan <command> [flags]

Commands:
  serve                    run the API (flags: samverkan serve -h)
  migrate up|down|status   apply, roll back one, or list the database migrations
  seed --demo              load the demo data into an empty database
  import --type T FILE     import organisations, partnerships, allocations or measurements (--dry-run to check only)
  audit verify             check the audit trail's hash chains; exit status 1 at a broken link
  backup FILE              write the whole database to FILE (pg_dump's custom format)
  restore FILE             load a backup into an empty database (--force: replace what is there)
  version                  print the version

Configuration comes from environment variables (see README.md); flags override them.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	cmd, args := os.Args[1], os.Args[2:]
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, args)
	case "migrate":
		err = migrate(ctx, args)
	case "seed":
		err = seed(ctx, args)
	case "import":
		err = importCommand(ctx, args)
	case "audit":
		err = auditCommand(ctx, args, os.Stdout)
	case "backup":
		err = backupCommand(ctx, args)
	case "restore":
		err = restoreCommand(ctx, args)
	case "version":
		fmt.Println("samverkan", version)
	case "help", "-h", "--help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "samverkan: unknown command %q\n\n%s", cmd, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "samverkan:", err)
		os.Exit(1)
	}
}

func newLogger(level string, w io.Writer) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

// databaseURL is DATABASE_URL, or that of the embedded PostgreSQL, started
// when DATABASE_URL is not set (as its superuser). stop stops what it started.
func databaseURL(ctx context.Context, cfg config.Config, log *slog.Logger) (string, func(), error) {
	if cfg.DatabaseURL != "" {
		return cfg.DatabaseURL, func() {}, nil
	}
	pg, err := pgembed.Start(ctx, cfg.DataDir, log)
	if err != nil {
		return "", nil, err
	}
	stop := func() {
		if err := pg.Stop(context.Background()); err != nil {
			log.Error("stop embedded PostgreSQL", "err", err)
		}
	}
	if err := database.EnsureDatabase(ctx, pg.URL("postgres"), "samverkan"); err != nil {
		stop()
		return "", nil, err
	}
	return pg.URL("samverkan"), stop, nil
}

func serve(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfg, err := config.Load(os.Getenv, fs, args)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogLevel, os.Stderr)
	// Take the port first: a busy port is said before anything is started.
	l, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	defer l.Close()
	url, stop, err := databaseURL(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer stop()
	db, err := database.Open(ctx, url, database.Options{MaxConns: cfg.DBMaxConns, StatementTimeout: cfg.DBStatementTimeout})
	if err != nil {
		return err
	}
	if !cfg.SkipMigrations {
		n, err := database.MigrateUp(ctx, db)
		if err != nil {
			database.Close(db) //nolint:errcheck
			return err
		}
		log.Info("migrations applied", "count", n)
	}
	if cfg.DatabaseURL == "" {
		// The embedded server's superuser ran the migrations; the service
		// itself runs as a member of samverkan_app, which owns nothing and
		// may not rewrite the audit trail.
		url, err = serviceRole(ctx, db, url, cfg.DataDir)
		database.Close(db) //nolint:errcheck
		if err != nil {
			return err
		}
	} else {
		database.Close(db) //nolint:errcheck
	}
	// The service's pool runs as samverkan_app, held to row-level security.
	opt := database.Options{MaxConns: cfg.DBMaxConns, StatementTimeout: cfg.DBStatementTimeout, Role: database.AppRole}
	if cfg.BenchWithoutRowSecurity { // config.Load refused it without -benchmark
		opt.Role, opt.WithoutRowSecurity = "", true
		log.Error("ROW-LEVEL SECURITY IS OFF: this is a benchmark (SAMVERKAN_BENCH_WITHOUT_ROW_SECURITY with -benchmark); " +
			"the database does not keep tenants apart. Never run a service like this for real data.")
	}
	if db, err = database.Open(ctx, url, opt); err != nil {
		return fmt.Errorf("%w (the login role must be a member of %s: docs/security.md)", err, database.AppRole)
	}
	defer database.Close(db) //nolint:errcheck
	log.Info("database connected", "url", database.Redact(url))
	keyFile := cfg.JWTKeyFile
	if keyFile == "" {
		keyFile = filepath.Join(cfg.DataDir, "jwt-ed25519.pem")
	}
	key, err := auth.LoadOrCreateKey(keyFile)
	if err != nil {
		return err
	}
	a, err := app.New(cfg, db, key, log, app.Options{})
	if err != nil {
		return err
	}
	if cfg.BootstrapAdminEmail != "" {
		tenantID := ""
		if cfg.BootstrapTenant != "" {
			t, err := a.Tenants.EnsureCode(ctx, cfg.BootstrapTenant)
			if err != nil {
				return fmt.Errorf("bootstrap tenant: %w", err)
			}
			tenantID = t.ID
		}
		created, err := a.Auth.Bootstrap(ctx, tenantID, cfg.BootstrapAdminEmail, cfg.BootstrapAdminPassword)
		if err != nil {
			return fmt.Errorf("bootstrap admin: %w", err)
		}
		if created {
			log.Info("bootstrap admin created", "email", cfg.BootstrapAdminEmail)
		}
	}
	if cfg.Demo {
		loaded, err := app.LoadDemo(ctx, db, auth.PasswordParams{})
		if err != nil {
			return err
		}
		if loaded {
			log.Info("demo data loaded", "password", demo.Password)
		}
	}
	if cfg.DebugAddr != "" {
		go serveDebug(cfg.DebugAddr, log)
	}
	go a.Limiter.Run(ctx, 250*time.Millisecond)
	go a.Instance.Run(ctx)
	go a.Webhooks.Run(ctx, 2*time.Second)
	go a.Notifications.Run(ctx)
	log.Info("listening", "addr", "http://"+l.Addr().String(), "docs", "http://"+l.Addr().String()+"/api/docs", "version", version)
	if err := a.Server.Serve(ctx, l); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

// serveDebug answers Go's profiler on its own address, which should never
// be reachable from outside (it is not authenticated).
func serveDebug(addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	log.Info("profiler listening", "addr", "http://"+addr+"/debug/pprof/")
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil {
		log.Error("profiler", "err", err)
	}
}

// serviceRole makes sure the embedded cluster has the login role the
// service runs as (samverkan_service, a member of samverkan_app, with a
// password kept in the data dir) and returns adminURL for it.
func serviceRole(ctx context.Context, admin *gorm.DB, adminURL, dataDir string) (string, error) {
	pwFile := filepath.Join(dataDir, "service.password")
	pw, err := os.ReadFile(pwFile)
	if errors.Is(err, os.ErrNotExist) {
		b := make([]byte, 24)
		if _, err := rand.Read(b); err != nil {
			return "", err
		}
		pw = []byte(hex.EncodeToString(b))
		err = os.WriteFile(pwFile, pw, 0o600)
	}
	if err != nil {
		return "", err
	}
	password := strings.TrimSpace(string(pw))
	err = admin.WithContext(ctx).Exec(`DO $$ BEGIN
		IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'samverkan_service') THEN
			CREATE ROLE samverkan_service LOGIN IN ROLE samverkan_app;
		END IF; END $$`).Error
	if err == nil {
		err = admin.WithContext(ctx).Exec("ALTER ROLE samverkan_service PASSWORD " + pgQuote(password)).Error
	}
	if err != nil {
		return "", fmt.Errorf("the service's database role: %w", err)
	}
	u, err := neturl.Parse(adminURL)
	if err != nil {
		return "", err
	}
	u.User = neturl.UserPassword("samverkan_service", password)
	return u.String(), nil
}

// pgQuote is s as an SQL string literal (s is hex, but quote anyway).
func pgQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// withDB runs fn with the configured database, for the one-shot commands.
func withDB(ctx context.Context, fn func(db *gorm.DB) error) error {
	return withURL(ctx, func(cfg config.Config, url string) error {
		db, err := database.Open(ctx, url, database.Options{MaxConns: cfg.DBMaxConns, StatementTimeout: cfg.DBStatementTimeout})
		if err != nil {
			return err
		}
		defer database.Close(db) //nolint:errcheck
		return fn(db)
	})
}

// withURL runs fn with the configuration and the configured database's
// URL, starting the embedded server when there is no DATABASE_URL.
func withURL(ctx context.Context, fn func(cfg config.Config, url string) error) error {
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	url, stop, err := databaseURL(ctx, cfg, newLogger(cfg.LogLevel, os.Stderr))
	if err != nil {
		return err
	}
	defer stop()
	return fn(cfg, url)
}

func migrate(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return errors.New("usage: samverkan migrate up|down|status")
	}
	return withDB(ctx, func(db *gorm.DB) error { return migrateCommand(ctx, db, args[0]) })
}

func migrateCommand(ctx context.Context, db *gorm.DB, cmd string) error {
	switch cmd {
	case "up":
		n, err := database.MigrateUp(ctx, db)
		if err == nil {
			fmt.Printf("applied %d migration(s)\n", n)
		}
		return err
	case "down":
		return database.MigrateDown(ctx, db)
	case "status":
		st, err := database.MigrateStatus(ctx, db)
		if err != nil {
			return err
		}
		for _, s := range st {
			state := "pending"
			if s.Applied {
				state = "applied"
			}
			fmt.Printf("%05d  %-8s %s\n", s.Version, state, s.Source)
		}
		return nil
	}
	return fmt.Errorf("unknown migrate command %q: use up, down or status", cmd)
}

func seed(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.Bool("demo", true, "load the demo dataset (the only dataset there is)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return withDB(ctx, func(db *gorm.DB) error { return seedCommand(ctx, db) })
}

func seedCommand(ctx context.Context, db *gorm.DB) error {
	if _, err := database.MigrateUp(ctx, db); err != nil {
		return err
	}
	loaded, err := app.LoadDemo(ctx, db, auth.PasswordParams{})
	if err != nil {
		return err
	}
	if !loaded {
		fmt.Println("the database already holds organisations; demo data not loaded")
		return nil
	}
	fmt.Println("demo data loaded; sign in with any of these (password " + demo.Password + "):")
	for _, u := range demo.Users {
		fmt.Printf("  %-34s %s\n", u.Email, u.Note)
	}
	return nil
}
