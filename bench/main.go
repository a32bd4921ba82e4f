// Command bench measures Samverkan at city, region and nation scale beside
// the alternatives a user could pick instead, in one run on one machine.
//
//	go run ./bench seed -scale nation     # generate the data (COPY), once
//	go run ./bench run -scale nation      # load it: Samverkan, pgbench, minimal servers, pREST
//
// Results are printed and written to bench/results/ as JSON and Markdown.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/samverkan/samverkan/bench/seed"
	"github.com/samverkan/samverkan/pkg/platform/database"
)

const defaultAdminURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: bench seed|run [-scale city|region|nation] [-db URL]")
		os.Exit(2)
	}
	cmd := os.Args[1]
	fs := flag.NewFlagSet(cmd, flag.ExitOnError)
	scaleName := fs.String("scale", "nation", "city, region or nation")
	admin := fs.String("db", envOr("BENCH_DATABASE_URL", defaultAdminURL), "a PostgreSQL server (superuser) to create the benchmark database on")
	fresh := fs.Bool("fresh", false, "seed: drop and generate again even if the data is there")
	seedValue := fs.Uint64("seed", 1, "seed: the random seed (same seed, same data)")
	duration := fs.Duration("duration", 10*time.Second, "run: how long each measurement lasts")
	conns := fs.Int("connections", 64, "run: concurrent connections")
	only := fs.String("only", "", "run: comma-separated measurements to run (default all)")
	fs.Parse(os.Args[2:]) //nolint:errcheck // ExitOnError
	sc, ok := seed.Scales[*scaleName]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown scale", *scaleName)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	dbURL, err := withDatabase(*admin, "samverkan_bench_"+sc.Name)
	if err == nil {
		switch cmd {
		case "seed":
			err = seedCommand(ctx, *admin, dbURL, sc, *seedValue, *fresh)
		case "run":
			if err = seedCommand(ctx, *admin, dbURL, sc, *seedValue, false); err == nil {
				err = run(ctx, dbURL, sc, runOptions{Duration: *duration, Connections: *conns, Only: strings.Split(*only, ",")})
			}
		default:
			err = fmt.Errorf("unknown command %q", cmd)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
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
// migrated, seeded and marked done, or dropped and made again with fresh.
func seedCommand(ctx context.Context, admin, dbURL string, sc seed.Scale, seedValue uint64, fresh bool) error {
	name := "samverkan_bench_" + sc.Name
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
		var s uint64
		if err := pool.QueryRow(ctx, "SELECT seed FROM bench_seeded").Scan(&s); err == nil && s == seedValue {
			fmt.Printf("%s scale already seeded in %s (seed %d); -fresh to generate again\n", sc.Name, name, s)
			return nil
		}
		return fmt.Errorf("%s holds other data; run seed -fresh", name)
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
	if _, err := pool.Exec(ctx, "CREATE TABLE bench_seeded (seed bigint NOT NULL, seconds real NOT NULL)"); err != nil {
		return err
	}
	secs := time.Since(t).Seconds()
	if _, err := pool.Exec(ctx, "INSERT INTO bench_seeded VALUES ($1, $2)", seedValue, secs); err != nil {
		return err
	}
	fmt.Printf("seeded in %.1f s\n", secs)
	return nil
}
