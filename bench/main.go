// Command bench measures Samverkan at city, region and nation scale beside
// the alternatives a user could pick instead, in one run on one machine.
//
//	go run ./bench seed -scale nation     # generate the data (COPY), once
//	go run ./bench run -scale nation      # load it: Samverkan, pgbench, minimal servers, pREST,
//	                                      # and Samverkan with row-level security on and off
//
// Results are printed and written to bench/results/ as JSON and Markdown.
package main

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/samverkan/samverkan/bench/seed"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/pgembed"
)

// serverSettings tune the benchmark's own PostgreSQL as a production server
// on this machine would be tuned (pgtune's advice for a 2-core OLTP server,
// with 2 GB of shared buffers: room for the 1 GB of the nation scale). A
// server left at PostgreSQL's defaults (128 MB of shared buffers) measures
// mostly the operating system's page cache.
var serverSettings = map[string]string{
	"shared_buffers": "2GB", "effective_cache_size": "12GB", "work_mem": "16MB", "maintenance_work_mem": "1GB",
	"max_connections": "200", "max_wal_size": "4GB", "min_wal_size": "1GB", "checkpoint_completion_target": "0.9",
	"wal_buffers": "16MB", "random_page_cost": "1.1", "effective_io_concurrency": "200",
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: bench seed|run [-scale city|region|nation] [-db URL]")
		os.Exit(2)
	}
	cmd := os.Args[1]
	fs := flag.NewFlagSet(cmd, flag.ExitOnError)
	scaleName := fs.String("scale", "nation", "city, region or nation")
	admin := fs.String("db", os.Getenv("BENCH_DATABASE_URL"), "a PostgreSQL server (superuser URL) to use instead of the benchmark's own")
	dataDir := fs.String("data", "bench/data", "where the benchmark's own PostgreSQL keeps its cluster")
	fresh := fs.Bool("fresh", false, "seed: drop and generate again even if the data is there")
	seedValue := fs.Uint64("seed", 1, "seed: the random seed (same seed, same data)")
	duration := fs.Duration("duration", 10*time.Second, "run: how long each measurement lasts")
	conns := fs.Int("connections", 64, "run: concurrent connections")
	only := fs.String("only", "", "run: comma-separated measurements to run (default all; rls: row-level security on and off)")
	rounds := fs.Int("rounds", 3, "run: rounds of the row-level security comparison (at least 3)")
	fs.Parse(os.Args[2:]) //nolint:errcheck // ExitOnError
	sc, ok := seed.Scales[*scaleName]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown scale", *scaleName)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	server, cluster := "the server at "+database.Redact(*admin), ""
	stopServer := func() {}
	if *admin == "" {
		pg, err := startServer(ctx, *dataDir)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		// Stopped before exiting, also on an error (os.Exit runs no deferred call).
		stopServer = func() { pg.Stop(context.Background()) } //nolint:errcheck
		*admin, server, cluster = pg.URL("postgres"), "its own PostgreSQL in "+*dataDir+" ("+settingsText()+")", filepath.Join(*dataDir, "postgres")
	}
	dbURL, err := withDatabase(*admin, "samverkan_bench_"+sc.Name)
	if err == nil {
		switch cmd {
		case "seed":
			err = seedCommand(ctx, *admin, dbURL, sc, *seedValue, *fresh)
		case "run":
			if err = seedCommand(ctx, *admin, dbURL, sc, *seedValue, false); err == nil {
				err = run(ctx, dbURL, sc, runOptions{Duration: *duration, Connections: *conns, Only: strings.Split(*only, ","), Server: server, Rounds: *rounds, Cluster: cluster})
			}
		default:
			err = fmt.Errorf("unknown command %q", cmd)
		}
	}
	stopServer()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// startServer starts the benchmark's own PostgreSQL from the installed
// binaries, with serverSettings, creating its cluster on first use.
func startServer(ctx context.Context, dir string) (*pgembed.Server, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o755); err != nil { // the cluster runs as an unprivileged user when we are root
		return nil, err
	}
	fmt.Printf("starting the benchmark's PostgreSQL in %s (%s)\n", dir, settingsText())
	return pgembed.StartWith(ctx, dir, slog.New(slog.DiscardHandler), pgembed.Options{Settings: serverSettings})
}

func settingsText() string {
	return "shared_buffers " + serverSettings["shared_buffers"] + ", effective_cache_size " + serverSettings["effective_cache_size"] +
		", work_mem " + serverSettings["work_mem"] + ", random_page_cost " + serverSettings["random_page_cost"]
}

// withDatabase is url with its database replaced by name.
func withDatabase(raw, name string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

// seedCommand makes sure the scale's database holds its generated data:
// migrated, seeded and marked done, or dropped and made again with fresh
// or when it was made by another version of the generator or before a
// migration the service now has.
func seedCommand(ctx context.Context, admin, dbURL string, sc seed.Scale, seedValue uint64, fresh bool) error {
	name := "samverkan_bench_" + sc.Name
	if !fresh {
		stale, err := staleData(ctx, admin, dbURL, name, seedValue)
		if err != nil {
			return err
		}
		if stale != "" {
			fmt.Printf("%s: %s; generating it again\n", name, stale)
			fresh = true
		}
	}
	if fresh {
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			return err
		}
		_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
		conn.Close(ctx)
		if err != nil {
			return err
		}
	}
	if err := database.EnsureDatabase(ctx, admin, name); err != nil {
		return err
	}
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	var done bool
	pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'bench_seeded')").Scan(&done) //nolint:errcheck
	if done {
		fmt.Printf("%s scale already seeded in %s (seed %d); -fresh to generate again\n", sc.Name, name, seedValue)
		return nil
	}
	db, err := database.Open(ctx, dbURL, database.Options{MaxConns: 2})
	if err != nil {
		return err
	}
	_, err = database.MigrateUp(ctx, db)
	database.Close(db) //nolint:errcheck
	if err != nil {
		return err
	}
	fmt.Printf("seeding the %s scale into %s (seed %d)\n", sc.Name, name, seedValue)
	t := time.Now()
	if err := seed.Seed(ctx, pool, sc, seedValue, func(f string, a ...any) { fmt.Printf("  "+f+"\n", a...) }); err != nil {
		return err
	}
	if _, err := pool.Exec(ctx, "CREATE TABLE bench_seeded (seed bigint NOT NULL, seconds real NOT NULL, generator integer NOT NULL, migration bigint NOT NULL)"); err != nil {
		return err
	}
	secs := time.Since(t).Seconds()
	if _, err := pool.Exec(ctx, "INSERT INTO bench_seeded VALUES ($1, $2, $3, (SELECT max(version_id) FROM goose_db_version))", seedValue, secs, seed.Version); err != nil {
		return err
	}
	fmt.Printf("seeded in %.1f s\n", secs)
	return nil
}

// staleData says why the scale's database must be generated again (it
// holds another seed's data, an older generator's, or a schema before the
// service's newest migration), or "" when it is current or not there.
func staleData(ctx context.Context, admin, dbURL, name string, seedValue uint64) (string, error) {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", err
	}
	var exists bool
	err = conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists)
	conn.Close(ctx)
	if err != nil || !exists {
		return "", err
	}
	db, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return "", err
	}
	defer db.Close(ctx)
	var seeded bool
	if err := db.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'bench_seeded')").Scan(&seeded); err != nil || !seeded {
		return "", err // half made: seedCommand migrates and seeds it
	}
	var s uint64
	var generator int
	var migration int64
	if err := db.QueryRow(ctx, "SELECT seed, generator, migration FROM bench_seeded").Scan(&s, &generator, &migration); err != nil {
		return "seeded by an older generator", nil //nolint:nilerr // a table without the columns is one
	}
	newest, err := newestMigration()
	switch {
	case err != nil:
		return "", err
	case s != seedValue:
		return fmt.Sprintf("it holds seed %d's data", s), nil
	case generator != seed.Version:
		return fmt.Sprintf("it was generated by generator version %d (now %d)", generator, seed.Version), nil
	case migration != newest:
		return fmt.Sprintf("it was generated at migration %d (now %d)", migration, newest), nil
	}
	return "", nil
}

// newestMigration is the version of the service's newest migration.
func newestMigration() (int64, error) {
	names, err := fs.Glob(database.Migrations(), "*.sql")
	if err != nil {
		return 0, err
	}
	var newest int64
	for _, n := range names {
		v, err := strconv.ParseInt(strings.SplitN(filepath.Base(n), "_", 2)[0], 10, 64)
		if err == nil && v > newest {
			newest = v
		}
	}
	return newest, nil
}
