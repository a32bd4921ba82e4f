package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/samverkan/samverkan/bench/seed"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/changes"
)

type runOptions struct {
	Duration    time.Duration
	Connections int
	Only        []string
	Server      string // which PostgreSQL, in words, for the report
	Rounds      int    // rounds of the row-level security comparison
	Cluster     string // the benchmark's own PostgreSQL's data directory, whose CPU time is counted; "" for another server
}

// ContenderPlain is Samverkan's list asked for plain JSON: the row the
// alternatives are compared with.
const ContenderPlain = "Samverkan, plain JSON"

// Result is one measurement: a contender under one kind of request.
type Result struct {
	Measurement string  `json:"measurement"`
	Contender   string  `json:"contender"`
	Requests    uint64  `json:"requests"`
	RPS         float64 `json:"rps"`
	P50ms       float64 `json:"p50_ms"`
	P95ms       float64 `json:"p95_ms"`
	P99ms       float64 `json:"p99_ms"`
	Errors      uint64  `json:"errors"`
	PeakRSSMB   float64 `json:"peak_rss_mb,omitempty"`
	CPUPercent  float64 `json:"cpu_percent,omitempty"`
	Note        string  `json:"note,omitempty"`
}

// Report is a whole run.
type Report struct {
	Scale       string    `json:"scale"`
	StartedAt   time.Time `json:"started_at"`
	Commit      string    `json:"commit"`
	Machine     string    `json:"machine"`
	LoadBefore  string    `json:"loadavg_before"` // /proc/loadavg as the run started
	LoadAfter   string    `json:"loadavg_after"`  // and as it ended
	Tenant      string    `json:"tenant"`         // whose client the requests come from
	LoadGen     string    `json:"load_generator"`
	Database    string    `json:"database"`
	Connections int       `json:"connections"`
	Duration    string    `json:"duration"`
	Seeded      string    `json:"seeded"`
	Results     []Result  `json:"results"`
	// RowSecurity is each endpoint measured with row-level security on
	// and off, interleaved.
	RowSecurity []Comparison `json:"row_security,omitempty"`
}

// sample is what the load picks from: real ids and words in the data.
type sample struct {
	districts    []string
	partnerships []string
	words        []string
	cursors      []string
	years        []int
}

const benchSecret = "bench-client-secret-0123456789abcdef"

func run(ctx context.Context, dbURL string, sc seed.Scale, o runOptions) error {
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	// The requests are one tenant's, Göteborg's: its API client, its
	// districts, partnerships and change feed.
	var tenant, tenantName string
	if err := pool.QueryRow(ctx, "SELECT id::text, name FROM tenants WHERE code = $1", seed.GoteborgCode).Scan(&tenant, &tenantName); err != nil {
		return fmt.Errorf("the benchmark's tenant (%s): %w", seed.GoteborgCode, err)
	}
	s, err := load(ctx, pool, tenant)
	if err != nil {
		return err
	}
	clientID, err := provisionClient(ctx, pool, tenant)
	if err != nil {
		return err
	}
	bin, err := os.MkdirTemp("", "samverkan-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(bin)
	fmt.Println("building the servers")
	for name, pkg := range map[string]string{"samverkan": "./cmd/samverkan", "minimal-pgx": "./bench/minimal/pgx", "minimal-gorm": "./bench/minimal/gorm"} {
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", filepath.Join(bin, name), pkg)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("build %s: %w", pkg, err)
		}
	}
	var seeded float64
	pool.QueryRow(ctx, "SELECT seconds FROM bench_seeded").Scan(&seeded) //nolint:errcheck
	loadGen := "vegeta (Go library, in this process)"
	if useWrk() {
		loadGen = "wrk (2 threads)"
	}
	var partnerships int
	pool.QueryRow(ctx, "SELECT count(*) FROM partnerships WHERE tenant_id = $1", tenant).Scan(&partnerships) //nolint:errcheck
	rep := Report{Scale: sc.Name, StartedAt: time.Now().UTC(), Commit: commit(), Machine: machine(), LoadBefore: loadavg(), LoadGen: loadGen,
		Database: o.Server, Connections: o.Connections, Duration: o.Duration.String(), Seeded: fmt.Sprintf("%.1f s", seeded),
		Tenant: fmt.Sprintf("%s (%s, %d of the scale's partnerships, %d districts)", tenantName, seed.GoteborgCode, partnerships, len(s.districts))}
	want := func(name string) bool { return len(o.Only) == 0 || o.Only[0] == "" || slices.Contains(o.Only, name) }
	r := rand.New(rand.NewPCG(7, 7))
	var mu sync.Mutex
	pick := func(xs []string) string { mu.Lock(); defer mu.Unlock(); return xs[r.IntN(len(xs))] }
	pickYear := func() int { mu.Lock(); defer mu.Unlock(); return s.years[r.IntN(len(s.years))] }
	add := func(res Result) {
		rep.Results = append(rep.Results, res)
		fmt.Printf("  %-16s %-22s %8.0f req/s  p50 %6.1f  p95 %6.1f  p99 %6.1f ms  errors %d  rss %5.0f MB  cpu %4.0f %%\n",
			res.Measurement, res.Contender, res.RPS, res.P50ms, res.P95ms, res.P99ms, res.Errors, res.PeakRSSMB, res.CPUPercent)
	}

	// Samverkan, with authentication, authorisation, logging and metrics on.
	srv, err := startSamverkan(ctx, bin, dbURL, false)
	if err != nil {
		return err
	}
	base := srv.base + "/api/v1"
	token, err := clientToken(srv.base, clientID)
	if err != nil {
		srv.stop()
		return err
	}
	// Every request asks for gzip, as browsers and most clients do; the
	// minimal servers and pREST answer plain JSON all the same. So that the
	// list is also compared doing the same work, it is measured a second
	// time asking for plain JSON.
	plain := http.Header{"Authorization": {"Bearer " + token}}
	bearer := http.Header{"Authorization": {"Bearer " + token}, "Accept-Encoding": {"gzip"}}
	listPath := func() string {
		return "/partnerships?status=active&limit=50&sort=-start_date&district=" + pick(s.districts)
	}
	measurements := []struct {
		name, contender string
		target          func(t *vegeta.Target) error
	}{
		{"list", "Samverkan", get(base, bearer, listPath)},
		{"list", ContenderPlain, get(base, plain, listPath)},
		{"detail", "Samverkan", get(base, bearer, func() string { return "/partnerships/" + pick(s.partnerships) })},
		{"search", "Samverkan", get(base, bearer, func() string { return "/organisations?limit=50&q=" + url.QueryEscape(pick(s.words)) })},
		{"funding report", "Samverkan", get(base, bearer, func() string {
			return fmt.Sprintf("/reports/funding?district=%s&year=%d", pick(s.districts), pickYear())
		})},
		{"outcomes report", "Samverkan", get(base, bearer, func() string {
			return fmt.Sprintf("/reports/outcomes?district=%s&year=%d", pick(s.districts), pickYear())
		})},
		{"change feed", "Samverkan", get(base, bearer, func() string { return "/changes?limit=50&since=" + url.QueryEscape(pick(s.cursors)) })},
		{"token", "Samverkan", func(t *vegeta.Target) error {
			t.Method, t.URL = "POST", base+"/auth/token"
			t.Header = http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Accept-Encoding": {"gzip"}}
			t.Body = []byte("grant_type=client_credentials&client_id=" + clientID + "&client_secret=" + benchSecret)
			return nil
		}},
	}
	for _, m := range measurements {
		if !want(m.name) {
			continue
		}
		res := attack(ctx, srv, m.name, m.contender, m.target, o)
		switch {
		case m.name == "list" && m.contender == ContenderPlain:
			res.Note = "the same, asking for plain JSON as the alternatives answer"
		case m.name == "list":
			res.Note = "with authentication, authorisation, request log, metrics and gzip"
		}
		add(res)
	}
	if want("rls") {
		// The same service with row-level security off, beside it.
		off, err := startSamverkan(ctx, bin, dbURL, true)
		if err != nil {
			srv.stop()
			return err
		}
		rep.RowSecurity, err = compareRowSecurity(ctx, srv, off, clientID, s, pick, pickYear, o, clusterCPU(o.Cluster))
		off.stop()
		if err != nil {
			srv.stop()
			return err
		}
	}
	srv.stop()

	// The alternatives, on the same database and query.
	if want("list") {
		if res, err := pgbench(ctx, dbURL, o); err != nil {
			fmt.Println("  pgbench:", err)
		} else {
			add(res)
		}
		for _, c := range []struct{ name, bin string }{{"Echo + pgx (minimal)", "minimal-pgx"}, {"Echo + GORM (minimal)", "minimal-gorm"}} {
			addr := freeAddr()
			p, err := start(ctx, filepath.Join(bin, c.bin), []string{addr, dbURL}, "", nil, addr)
			if err != nil {
				return err
			}
			add(attack(ctx, p, "list", c.name, get(p.base, http.Header{"Accept-Encoding": {"gzip"}}, func() string { return "/partnerships?status=active&district=" + pick(s.districts) }), o))
			p.stop()
		}
		if res, err := prest(ctx, dbURL, bin, pick, s, o); err != nil {
			fmt.Println("  pREST:", err)
			add(Result{Measurement: "list", Contender: "pREST", Note: "not measured: " + err.Error()})
		} else {
			add(res)
		}
	}
	rep.LoadAfter = loadavg()
	return write(rep, len(o.Only) == 0 || o.Only[0] == "")
}

// startSamverkan starts the service as `samverkan serve` over dbURL, with
// row-level security, or, for the comparison, without it (the benchmark's
// switch: the pool and sessions run as the superuser login instead of
// samverkan_app; nothing else differs).
func startSamverkan(ctx context.Context, bin, dbURL string, withoutRowSecurity bool) (*proc, error) {
	args, env := []string{"serve"}, map[string]string{
		"DATABASE_URL": dbURL, "SAMVERKAN_SKIP_MIGRATIONS": "", "SAMVERKAN_DEMO": "", "SAMVERKAN_LOG_LEVEL": "info",
		"SAMVERKAN_DATA_DIR": bin, "SAMVERKAN_DB_MAX_CONNS": "20",
		// The load is one client at thousands of requests a second: the
		// limit is raised out of its way, and still counts every request.
		"SAMVERKAN_RATE_LIMIT": "1000000000",
	}
	if withoutRowSecurity {
		args = append(args, "-benchmark")
		env["SAMVERKAN_BENCH_WITHOUT_ROW_SECURITY"] = "true"
	}
	return start(ctx, filepath.Join(bin, "samverkan"), args, "/readyz", env)
}

// get is a GET of base+path() with the header.
func get(base string, h http.Header, path func() string) func(t *vegeta.Target) error {
	return func(t *vegeta.Target) error {
		t.Method, t.URL, t.Header = "GET", base+path(), h
		return nil
	}
}

// attack loads a server with o.Connections concurrent connections for
// o.Duration after a short warm-up, sampling its memory and CPU.
func attack(ctx context.Context, p *proc, name, contender string, target func(*vegeta.Target) error, o runOptions) Result {
	res := Result{Measurement: name, Contender: contender}
	var sample func() // runs the load, filling res
	if useWrk() {
		dir, err := os.MkdirTemp("", "wrk-")
		if err != nil {
			res.Note = err.Error()
			return res
		}
		defer os.RemoveAll(dir)
		script, base, err := wrkScript(dir, target)
		if err != nil {
			res.Note = err.Error()
			return res
		}
		runWrk(ctx, script, base, o.Connections, 2*time.Second) //nolint:errcheck // warm-up
		sample = func() {
			n, errs, secs, p50, p95, p99, err := runWrk(ctx, script, base, o.Connections, o.Duration)
			if err != nil {
				res.Note = err.Error()
				return
			}
			res.Requests, res.Errors, res.RPS = n, errs, float64(n-errs)/secs
			res.P50ms, res.P95ms, res.P99ms = ms(p50), ms(p95), ms(p99)
		}
	} else {
		conns := uint64(o.Connections)
		attacker := func() *vegeta.Attacker {
			return vegeta.NewAttacker(vegeta.Workers(conns), vegeta.MaxWorkers(conns), vegeta.Connections(o.Connections),
				vegeta.MaxConnections(o.Connections), vegeta.KeepAlive(true), vegeta.Timeout(30*time.Second))
		}
		for range attacker().Attack(target, vegeta.Rate{}, 2*time.Second, "warm-up") { //nolint:revive // drain
		}
		sample = func() {
			a := attacker()
			var m vegeta.Metrics
			for r := range a.Attack(target, vegeta.Rate{}, o.Duration, name) {
				if ctx.Err() != nil {
					a.Stop()
				}
				if r.Code < 200 || r.Code > 299 {
					res.Errors++
				}
				m.Add(r)
			}
			m.Close()
			res.Requests, res.RPS = m.Requests, m.Throughput
			res.P50ms, res.P95ms, res.P99ms = ms(m.Latencies.P50), ms(m.Latencies.P95), ms(m.Latencies.P99)
		}
	}
	cpu0, t0 := p.cpu(), time.Now()
	done, peak := make(chan struct{}), make(chan float64)
	go func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		most := 0.0
		for {
			select {
			case <-done:
				peak <- most
				return
			case <-tick.C:
				most = max(most, p.rss())
			}
		}
	}()
	sample()
	close(done)
	res.PeakRSSMB, res.CPUPercent = <-peak, (p.cpu()-cpu0)/time.Since(t0).Seconds()*100
	return res
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// proc is a server started for the benchmark.
type proc struct {
	cmd  *exec.Cmd
	base string
}

func freeAddr() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// start runs bin and waits until GET ready (or the port) answers.
func start(ctx context.Context, bin string, args []string, ready string, env map[string]string, addr ...string) (*proc, error) {
	a := freeAddr()
	if len(addr) > 0 {
		a = addr[0]
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = os.Environ()
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, "SAMVERKAN_ADDR="+a)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &proc{cmd: cmd, base: "http://" + a}
	for i := 0; i < 600; i++ {
		if ready != "" {
			if res, err := http.Get(p.base + ready); err == nil {
				res.Body.Close()
				if res.StatusCode == 200 {
					return p, nil
				}
			}
		} else if c, err := net.Dial("tcp", a); err == nil {
			c.Close()
			return p, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.stop()
	return nil, fmt.Errorf("%s did not start", filepath.Base(bin))
}

func (p *proc) stop() {
	p.cmd.Process.Signal(os.Interrupt) //nolint:errcheck
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }() //nolint:errcheck
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		p.cmd.Process.Kill() //nolint:errcheck
	}
}

var rssLine = regexp.MustCompile(`VmRSS:\s+(\d+) kB`)

// rss is the process's resident memory in MB.
func (p *proc) rss() float64 {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if m := rssLine.FindSubmatch(b); m != nil {
		kb, _ := strconv.ParseFloat(string(m[1]), 64)
		return kb / 1024
	}
	return 0
}

// cpu is the process's user and system time in seconds (100 ticks a second).
func (p *proc) cpu() float64 { c, _ := cpuOf(p.cmd.Process.Pid); return c }

// cpuOf is a process's user and system time in seconds and its parent.
func cpuOf(pid int) (float64, int) {
	f := statOf(pid)
	if len(f) < 13 {
		return 0, 0
	}
	ppid, _ := strconv.Atoi(f[1])
	u, _ := strconv.ParseFloat(f[11], 64)
	s, _ := strconv.ParseFloat(f[12], 64)
	return (u + s) / 100, ppid
}

// statOf is /proc/<pid>/stat's fields after the command's name (state first).
func statOf(pid int) []string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	return strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
}

// clusterCPU returns a function that tells the CPU time, in seconds, of
// the PostgreSQL cluster in dir (the postmaster, every backend and worker
// it runs, and those that ended, which the postmaster has reaped), or nil
// when the cluster is not the benchmark's own.
func clusterCPU(dir string) func() float64 {
	if dir == "" {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
	if err != nil {
		return nil
	}
	postmaster, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	if err != nil {
		return nil
	}
	return func() float64 {
		total := 0.0
		if f := statOf(postmaster); len(f) >= 15 {
			for _, v := range f[11:15] { // utime, stime and its reaped children's cutime, cstime
				t, _ := strconv.ParseFloat(v, 64)
				total += t / 100
			}
		}
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil {
				continue
			}
			if c, parent := cpuOf(pid); parent == postmaster {
				total += c
			}
		}
		return total
	}
}

// load picks the ids and words the requests use from the data: the
// tenant's districts, partnerships and change feed, and names from the
// national register.
func load(ctx context.Context, pool *pgxpool.Pool, tenant string) (sample, error) {
	var s sample
	q := func(sql string, dst *[]string) error {
		var args []any
		if strings.Contains(sql, "$1") {
			args = append(args, tenant)
		}
		rows, err := pool.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				return err
			}
			*dst = append(*dst, v)
		}
		return rows.Err()
	}
	for sql, dst := range map[string]*[]string{
		"SELECT id::text FROM districts WHERE tenant_id = $1":                                                          &s.districts,
		"SELECT id::text FROM partnerships WHERE tenant_id = $1 ORDER BY id LIMIT 20000":                               &s.partnerships,
		"SELECT split_part(name, ' ', 1) || ' ' || split_part(name, ' ', 2) FROM organisations ORDER BY id LIMIT 2000": &s.words,
		"SELECT xid::text || ':' || id FROM audit_events WHERE tenant_id = $1 ORDER BY id DESC LIMIT 5000":             &s.cursors,
	} {
		if err := q(sql, dst); err != nil {
			return s, err
		}
	}
	for i, c := range s.cursors {
		xid, id, _ := strings.Cut(c, ":")
		n, _ := strconv.ParseInt(id, 10, 64)
		s.cursors[i] = changes.Cursor(xid, n)
	}
	s.years = []int{2015, 2018, 2020, 2022, 2024, 2025}
	if len(s.districts) == 0 || len(s.partnerships) == 0 || len(s.cursors) == 0 {
		return s, fmt.Errorf("the benchmark database is empty; run bench seed")
	}
	return s, nil
}

// provisionClient makes the benchmark's API client: the tenant's, for
// the whole municipality, with read scopes.
func provisionClient(ctx context.Context, pool *pgxpool.Pool, tenant string) (string, error) {
	const id = "0e2a6e2c-6c64-4b36-9c8c-3a0b6f0c0001"
	_, err := pool.Exec(ctx, `INSERT INTO api_clients (id, tenant_id, name, secret_hash, scopes) VALUES ($1, $2, 'benchmark', $3, $4)
		ON CONFLICT (id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, secret_hash = EXCLUDED.secret_hash, scopes = EXCLUDED.scopes, disabled = false`,
		id, tenant, auth.HashClientSecret(benchSecret), []string{auth.ScopePartnershipsRead, auth.ScopeFundingRead, auth.ScopeEvaluationRead, auth.ScopeReportsRead})
	return id, err
}

func clientToken(base, id string) (string, error) {
	res, err := http.PostForm(base+"/api/v1/auth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {benchSecret}})
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var t struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&t); err != nil || t.AccessToken == "" {
		return "", fmt.Errorf("no token for the benchmark client (%d)", res.StatusCode)
	}
	return t.AccessToken, nil
}

// commit is the checked-out commit, marked when the work tree differs.
func commit() string {
	out, err := exec.Command("git", "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	c := strings.TrimSpace(string(out))
	if err := exec.Command("git", "diff", "--quiet", "HEAD").Run(); err != nil {
		c += " (with uncommitted changes)"
	}
	return c
}

// loadavg is /proc/loadavg: how busy the machine was besides the run.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(b))
}

func machine() string {
	model := ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if m := regexp.MustCompile(`model name\s*:\s*(.*)`).FindSubmatch(b); m != nil {
			model = string(m[1])
		}
	}
	return fmt.Sprintf("%d cores, %s, %s/%s, %s", runtime.NumCPU(), model, runtime.GOOS, runtime.GOARCH, runtime.Version())
}
