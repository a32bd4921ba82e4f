// Package dbtest gives each test package a fresh PostgreSQL database of its
// own, cloned from a template that has every migration applied. The server is
// TEST_DATABASE_URL, else DATABASE_URL, else an embedded one started from the
// installed PostgreSQL binaries (and left running for the next test run).
//
// A test package calls Main from its TestMain and DB from its tests.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/pgembed"
)

var (
	once   sync.Once
	shared *gorm.DB
	name   string
	admin  string
	setup  error
)

// Main runs the package's tests and drops its database afterwards.
func Main(m *testing.M) {
	code := m.Run()
	if shared != nil {
		_ = database.Close(shared)
		if conn, err := pgx.Connect(context.Background(), admin); err == nil {
			_, _ = conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
			conn.Close(context.Background())
		}
	}
	os.Exit(code)
}

// DB returns the package's database, creating it on first use.
func DB(t testing.TB) *gorm.DB {
	t.Helper()
	once.Do(func() { shared, setup = create() })
	if setup != nil {
		t.Fatalf("test database: %v", setup)
	}
	return shared
}

// URL returns the connection string of the package's database.
func URL(t testing.TB) string {
	DB(t)
	return withDatabase(admin, name)
}

// ServerURL returns a connection string to the test server's maintenance
// database, starting the embedded server if needed.
func ServerURL() (string, error) {
	for _, env := range []string{"TEST_DATABASE_URL", "DATABASE_URL"} {
		if v := os.Getenv(env); v != "" {
			return v, nil
		}
	}
	dir := filepath.Join(os.TempDir(), "samverkan-test-pg")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	unlock, err := flock(filepath.Join(os.TempDir(), "samverkan-test-pg.lock"))
	if err != nil {
		return "", err
	}
	defer unlock()
	srv, err := pgembed.Start(context.Background(), dir, slog.New(slog.DiscardHandler))
	if err != nil {
		return "", err
	}
	srv.Detach() // shared by every test package and the next run
	return srv.URL("postgres"), nil
}

func create() (*gorm.DB, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var err error
	if admin, err = ServerURL(); err != nil {
		return nil, err
	}
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	// One package at a time builds the template and clones it.
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(72616)"); err != nil {
		return nil, err
	}
	defer conn.Exec(context.Background(), "SELECT pg_advisory_unlock(72616)")

	tmpl, err := templateName()
	if err != nil {
		return nil, err
	}
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", tmpl).Scan(&exists); err != nil {
		return nil, err
	}
	if !exists {
		if err := buildTemplate(ctx, conn, tmpl); err != nil {
			return nil, fmt.Errorf("build template: %w", err)
		}
	}
	name = "samverkan_test_" + randomSuffix()
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident(name)+" TEMPLATE "+ident(tmpl)); err != nil {
		return nil, err
	}
	// The service's pool runs as samverkan_app, as in production: held to
	// row-level security. Owner gives the tests a pool that is not.
	return database.Open(ctx, withDatabase(admin, name), database.Options{MaxConns: 30, StatementTimeout: 30 * time.Second, Role: database.AppRole})
}

func buildTemplate(ctx context.Context, conn *pgx.Conn, tmpl string) error {
	building := tmpl + "_building"
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident(building)); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident(building)); err != nil {
		return err
	}
	db, err := database.Open(ctx, withDatabase(admin, building), database.Options{MaxConns: 2})
	if err != nil {
		return err
	}
	_, err = database.MigrateUp(ctx, db)
	database.Close(db)
	if err != nil {
		return err
	}
	_, err = conn.Exec(ctx, "ALTER DATABASE "+ident(building)+" RENAME TO "+ident(tmpl))
	return err
}

// templateName changes whenever a migration does, so a stale template is
// never cloned.
func templateName() (string, error) {
	h := sha256.New()
	fsys := database.Migrations()
	var names []string
	if err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, p)
		}
		return err
	}); err != nil {
		return "", err
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return "", err
		}
		h.Write([]byte(n))
		h.Write(b)
	}
	return "samverkan_tmpl_" + hex.EncodeToString(h.Sum(nil))[:12], nil
}

func withDatabase(rawURL, db string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	u.Path = "/" + db
	return u.String()
}

func ident(s string) string { return pgx.Identifier{s}.Sanitize() }

func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func flock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}

// Fresh returns another, empty database cloned from the template, for a test
// that needs one to itself; it is dropped when the test ends.
func Fresh(t testing.TB) *gorm.DB {
	t.Helper()
	db, err := database.Open(context.Background(), FreshURL(t), database.Options{MaxConns: 5})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = database.Close(db) })
	return db
}

// FreshApp is Fresh as the service sees it: a pool that runs as
// samverkan_app, held to row-level security.
func FreshApp(t testing.TB) *gorm.DB {
	t.Helper()
	db, err := database.Open(context.Background(), FreshURL(t), database.Options{MaxConns: 5, Role: database.AppRole})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = database.Close(db) })
	return db
}

// FreshURL is Fresh's database as a connection string, for a test that
// opens it itself; it is dropped when the test ends (after the test's own
// cleanups, which close what it opened).
func FreshURL(t testing.TB) string {
	t.Helper()
	DB(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tmpl, err := templateName()
	if err != nil {
		t.Fatal(err)
	}
	fresh := "samverkan_test_" + randomSuffix()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(72616)"); err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+ident(fresh)+" TEMPLATE "+ident(tmpl))
	_, _ = conn.Exec(ctx, "SELECT pg_advisory_unlock(72616)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if c, err := pgx.Connect(ctx, admin); err == nil {
			_, _ = c.Exec(ctx, "DROP DATABASE IF EXISTS "+ident(fresh)+" WITH (FORCE)")
			c.Close(ctx)
		}
	})
	return withDatabase(admin, fresh)
}

// EmptyURL is a database with nothing in it, not even the migrations, as a
// connection string: for a test that builds the schema itself, such as one
// that loads data made by an older schema before migrating it. It is
// dropped when the test ends.
func EmptyURL(t testing.TB) string {
	t.Helper()
	server, err := ServerURL()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	empty := "samverkan_test_" + randomSuffix()
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident(empty)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if c, err := pgx.Connect(ctx, server); err == nil {
			_, _ = c.Exec(ctx, "DROP DATABASE IF EXISTS "+ident(empty)+" WITH (FORCE)")
			c.Close(ctx)
		}
	})
	return withDatabase(server, empty)
}

var (
	ownerOnce sync.Once
	owner     *gorm.DB
	ownerErr  error
)

// Owner returns a pool on the package's database that runs as the login
// role (the tables' owner, a superuser in tests): not held to row-level
// security, for tests that look at every tenant's rows or set things up
// behind the service's back.
func Owner(t testing.TB) *gorm.DB {
	t.Helper()
	DB(t)
	ownerOnce.Do(func() {
		owner, ownerErr = database.Open(context.Background(), withDatabase(admin, name), database.Options{MaxConns: 5, StatementTimeout: 30 * time.Second})
	})
	if ownerErr != nil {
		t.Fatalf("owner pool: %v", ownerErr)
	}
	return owner
}
