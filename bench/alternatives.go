package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/samverkan/samverkan/bench/minimal"
)

// pgbench runs the list query with PostgreSQL's own load generator: the
// floor, with no HTTP and no JSON. A district is drawn per transaction from
// a numbered copy of the districts (one primary-key lookup).
func pgbench(ctx context.Context, dbURL string, o runOptions) (Result, error) {
	if _, err := exec.LookPath("pgbench"); err != nil {
		return Result{}, fmt.Errorf("pgbench is not installed (Debian: postgresql-client)")
	}
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return Result{}, err
	}
	var n int
	_, err = pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS bench_districts AS SELECT row_number() OVER (ORDER BY id)::int AS n, id FROM districts;
		CREATE UNIQUE INDEX IF NOT EXISTS bench_districts_n ON bench_districts (n)`)
	if err == nil {
		err = pool.QueryRow(ctx, "SELECT count(*) FROM bench_districts").Scan(&n)
	}
	pool.Close()
	if err != nil {
		return Result{}, err
	}
	dir, err := os.MkdirTemp("", "pgbench-")
	if err != nil {
		return Result{}, err
	}
	defer os.RemoveAll(dir)
	sql := strings.NewReplacer("$1", "'active'", "$2::uuid", "(SELECT id FROM bench_districts WHERE n = :n)", "\n", " ", "\t", " ").Replace(minimal.ListSQL)
	script := filepath.Join(dir, "list.sql")
	if err := os.WriteFile(script, []byte(fmt.Sprintf("\\set n random(1, %d)\n%s;\n", n, sql)), 0o600); err != nil {
		return Result{}, err
	}
	cmd := exec.CommandContext(ctx, "pgbench", "-n", "-M", "prepared", "-c", strconv.Itoa(o.Connections), "-j", "2",
		"-T", strconv.Itoa(int(o.Duration.Seconds())), "-f", script, "-l", "--log-prefix", filepath.Join(dir, "tx"), dbURL)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return Result{}, fmt.Errorf("%w: %s", err, out)
	}
	tps := regexp.MustCompile(`tps = ([\d.]+)`).FindSubmatch(out)
	if tps == nil {
		return Result{}, fmt.Errorf("no tps in: %s", out)
	}
	var lat []time.Duration
	logs, _ := filepath.Glob(filepath.Join(dir, "tx*"))
	for _, f := range logs {
		fh, err := os.Open(f)
		if err != nil {
			return Result{}, err
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) >= 3 {
				us, _ := strconv.Atoi(f[2])
				lat = append(lat, time.Duration(us)*time.Microsecond)
			}
		}
		fh.Close()
	}
	slices.Sort(lat)
	q := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return ms(lat[int(p*float64(len(lat)-1))])
	}
	rps, _ := strconv.ParseFloat(string(tps[1]), 64)
	return Result{Measurement: "list", Contender: "pgbench (SQL only)", Requests: uint64(len(lat)), RPS: rps,
		P50ms: q(0.50), P95ms: q(0.95), P99ms: q(0.99), Note: "no HTTP, no JSON"}, nil
}

// prest runs pREST, an instant REST API over PostgreSQL, with the list query
// as one of its custom queries. pREST is built from the Go module proxy into
// a scratch module outside the repository (v1.5.5; v2 is not served here).
func prest(ctx context.Context, dbURL, bin string, pick func([]string) string, s sample, o runOptions) (Result, error) {
	prestd := filepath.Join(bin, "prestd")
	mod := filepath.Join(bin, "prestbuild")
	if err := os.MkdirAll(mod, 0o755); err != nil {
		return Result{}, err
	}
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module prestbuild\n\ngo 1.26\n"), 0o600); err != nil {
		return Result{}, err
	}
	for _, args := range [][]string{{"get", "github.com/prest/prest/cmd/prestd@v1.5.5"}, {"build", "-o", prestd, "github.com/prest/prest/cmd/prestd"}} {
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir = mod
		if out, err := cmd.CombinedOutput(); err != nil {
			return Result{}, fmt.Errorf("go %s: %w: %s", args[0], err, lastLine(out))
		}
	}
	queries := filepath.Join(bin, "queries", "bench")
	if err := os.MkdirAll(queries, 0o755); err != nil {
		return Result{}, err
	}
	sql := strings.NewReplacer("$1", "'{{.status}}'", "$2::uuid", "'{{.district}}'::uuid").Replace(minimal.ListSQL)
	if err := os.WriteFile(filepath.Join(queries, "list.read.sql"), []byte(sql), 0o600); err != nil {
		return Result{}, err
	}
	addr := freeAddr()
	_, port, _ := strings.Cut(addr, ":")
	p, err := start(ctx, prestd, nil, "", map[string]string{
		"PREST_PG_URL": dbURL, "PREST_HTTP_PORT": port, "PREST_HTTP_HOST": "127.0.0.1", "PREST_JWT_DEFAULT": "false",
		"PREST_QUERIES_LOCATION": filepath.Join(bin, "queries"), "PREST_DEBUG": "false", "PREST_PG_MAXOPENCONN": "20",
	}, addr)
	if err != nil {
		return Result{}, err
	}
	defer p.stop()
	res := attack(ctx, p, "list", "pREST 1.5.5", func(t *vegeta.Target) error {
		t.Method, t.URL = "GET", p.base+"/_QUERIES/bench/list?status=active&district="+pick(s.districts)
		t.Header = http.Header{"Accept-Encoding": {"gzip"}}
		return nil
	}, o)
	res.Note = "custom query, no authentication"
	return res, nil
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}
