package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"regexp"
	"slices"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Comparison is one endpoint measured with row-level security on and off,
// round by round.
type Comparison struct {
	Measurement string  `json:"measurement"`
	Rounds      []Round `json:"rounds"`
	OnRPS       float64 `json:"on_rps_median"`
	OffRPS      float64 `json:"off_rps_median"`
	Ratio       float64 `json:"ratio_median"` // on ÷ off, the median of the rounds' ratios
	RatioMin    float64 `json:"ratio_min"`
	RatioMax    float64 `json:"ratio_max"`
	// CPURatio is the median of the rounds' CPU ratios (see Round), and
	// its spread: what the throughput ratio would be on a machine that ran
	// nothing else.
	CPURatio    float64 `json:"cpu_ratio_median,omitempty"`
	CPURatioMin float64 `json:"cpu_ratio_min,omitempty"`
	CPURatioMax float64 `json:"cpu_ratio_max,omitempty"`
	// Note says where the two answered differently: a query of the
	// service's that keeps to the tenant only through row-level security.
	Note string `json:"note,omitempty"`
}

// Round is one measurement with row-level security on, then one with it
// off, under the same requests.
type Round struct {
	On    Result  `json:"on"`
	Off   Result  `json:"off"`
	Ratio float64 `json:"ratio"` // On.RPS ÷ Off.RPS
	// CPU milliseconds per request, of the service and of PostgreSQL
	// (the benchmark's own cluster; 0 when it is another server), and
	// Off's ÷ On's: the throughput ratio if CPU were all either had. On
	// a machine shared with other work, throughput follows the share of
	// the cores each measurement happens to get; the CPU a request costs
	// hardly does.
	OnCPUms  float64 `json:"on_cpu_ms_per_request,omitempty"`
	OffCPUms float64 `json:"off_cpu_ms_per_request,omitempty"`
	CPURatio float64 `json:"cpu_ratio,omitempty"`
}

// RowSecurityTarget is the least share of its throughput without
// row-level security that the service must keep with it (issue 14).
const RowSecurityTarget = 0.9

// compareRowSecurity measures the list, the detail and the two reports on
// two instances of the service over the same database, one with row-level
// security (on) and one without (off, the benchmark's switch), taking
// turns: after an uncounted warm-up of both, o.Rounds rounds of on, then
// off, each for o.Duration with the same requests. First it checks that
// both answer the same to the same requests, so that they are doing the
// same work.
func compareRowSecurity(ctx context.Context, on, off *proc, clientID string, s sample, pick func([]string) string, pickYear func() int, o runOptions,
	dbCPU func() float64) ([]Comparison, error) {
	// Both instances sign with the same key (one data directory), so one
	// token serves both.
	token, err := clientToken(on.base, clientID)
	if err != nil {
		return nil, err
	}
	header := http.Header{"Authorization": {"Bearer " + token}, "Accept-Encoding": {"gzip"}}
	endpoints := []struct {
		name string
		path func() string
	}{
		{"list", func() string {
			return "/partnerships?status=active&limit=50&sort=-start_date&district=" + pick(s.districts)
		}},
		{"detail", func() string { return "/partnerships/" + pick(s.partnerships) }},
		{"funding report", func() string {
			return fmt.Sprintf("/reports/funding?district=%s&year=%d", pick(s.districts), pickYear())
		}},
		{"outcomes report", func() string {
			return fmt.Sprintf("/reports/outcomes?district=%s&year=%d", pick(s.districts), pickYear())
		}},
	}
	rounds := max(o.Rounds, 3)
	warmUp := min(o.Duration, 5*time.Second)
	fmt.Printf("row-level security on and off: %d rounds of %v each, after a warm-up of %v each\n", rounds, o.Duration, warmUp)
	var out []Comparison
	for _, e := range endpoints {
		paths := make([]string, 2000)
		for i := range paths {
			paths[i] = "/api/v1" + e.path()
		}
		c := Comparison{Measurement: e.name}
		if err := sameAnswers(on, off, token, paths[:20]); err != nil {
			// Measured all the same, and said: off then does other work.
			c.Note = err.Error()
			fmt.Printf("  %s: WARNING: %v\n", e.name, err)
		}
		for _, p := range []*proc{on, off} {
			loadFor(ctx, p, paths, header, o.Connections, warmUp)
		}
		for r := 0; r < rounds; r++ {
			var rd Round
			var onCPU, offCPU float64
			rd.On, onCPU = measured(ctx, on, paths, header, o, dbCPU)
			rd.Off, offCPU = measured(ctx, off, paths, header, o, dbCPU)
			if rd.On.Requests > 0 && rd.Off.Requests > 0 && onCPU > 0 {
				rd.OnCPUms, rd.OffCPUms = onCPU/float64(rd.On.Requests)*1000, offCPU/float64(rd.Off.Requests)*1000
				rd.CPURatio = rd.OffCPUms / rd.OnCPUms
			}
			rd.On.Measurement, rd.On.Contender = e.name, "Samverkan, row-level security on"
			rd.Off.Measurement, rd.Off.Contender = e.name, "Samverkan, row-level security off"
			if rd.Off.RPS > 0 {
				rd.Ratio = rd.On.RPS / rd.Off.RPS
			}
			fmt.Printf("  %-16s round %d  on %7.0f req/s (p95 %6.1f ms, %.2f CPU ms)  off %7.0f req/s (p95 %6.1f ms, %.2f CPU ms)  on/off %.3f (CPU %.3f)  errors %d/%d\n",
				e.name, r+1, rd.On.RPS, rd.On.P95ms, rd.OnCPUms, rd.Off.RPS, rd.Off.P95ms, rd.OffCPUms, rd.Ratio, rd.CPURatio, rd.On.Errors, rd.Off.Errors)
			c.Rounds = append(c.Rounds, rd)
		}
		c.summarise()
		out = append(out, c)
	}
	return out, nil
}

// summarise fills the medians and the spread of the rounds' ratios.
func (c *Comparison) summarise() {
	var ons, offs, ratios, cpu []float64
	for _, r := range c.Rounds {
		ons, offs, ratios = append(ons, r.On.RPS), append(offs, r.Off.RPS), append(ratios, r.Ratio)
		if r.CPURatio > 0 {
			cpu = append(cpu, r.CPURatio)
		}
	}
	c.OnRPS, c.OffRPS, c.Ratio = median(ons), median(offs), median(ratios)
	c.RatioMin, c.RatioMax = slices.Min(ratios), slices.Max(ratios)
	if len(cpu) > 0 {
		c.CPURatio, c.CPURatioMin, c.CPURatioMax = median(cpu), slices.Min(cpu), slices.Max(cpu)
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// sameAnswers asks both instances the same requests and fails on the
// first answer that differs: without row-level security the service
// should answer exactly as with it (its own filters keep to the tenant);
// where it does not, the two are not doing quite the same work, and a
// query relies on row-level security alone.
func sameAnswers(on, off *proc, token string, paths []string) error {
	get := func(p *proc, path string) (int, []byte, error) {
		req, err := http.NewRequest("GET", p.base+path, nil)
		if err != nil {
			return 0, nil, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		return res.StatusCode, b, err
	}
	for _, path := range paths {
		c1, b1, err := get(on, path)
		if err != nil {
			return err
		}
		c2, b2, err := get(off, path)
		if err != nil {
			return err
		}
		if c1 != 200 {
			return fmt.Errorf("GET %s answered %d: %s", path, c1, b1)
		}
		b1, b2 = generatedAt.ReplaceAll(b1, nil), generatedAt.ReplaceAll(b2, nil) // when a report was made differs
		if c1 != c2 || !bytes.Equal(b1, b2) {
			return fmt.Errorf("GET %s answers differently with row-level security (%d, %d bytes) and without (%d, %d bytes), from byte %d: %q and %q",
				path, c1, len(b1), c2, len(b2), firstDifference(b1, b2), around(b1, firstDifference(b1, b2)), around(b2, firstDifference(b1, b2)))
		}
	}
	return nil
}

var generatedAt = regexp.MustCompile(`"generated_at":"[^"]*"`)

func firstDifference(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func around(b []byte, i int) []byte { return b[max(i-80, 0):min(i+80, len(b))] }

// measured is loadFor with the CPU time the service and (when dbCPU is
// known) PostgreSQL spent meanwhile.
func measured(ctx context.Context, p *proc, paths []string, header http.Header, o runOptions, dbCPU func() float64) (Result, float64) {
	db := func() float64 { return 0 }
	if dbCPU != nil {
		db = dbCPU
	}
	c0, d0, t0 := p.cpu(), db(), time.Now()
	res := loadFor(ctx, p, paths, header, o.Connections, o.Duration)
	c1, d1 := p.cpu(), db()
	res.CPUPercent = (c1 - c0) / time.Since(t0).Seconds() * 100
	if dbCPU == nil {
		return res, 0
	}
	return res, (c1 - c0) + (d1 - d0)
}

// loadFor sends the paths, in random order, to p with conns connections for
// d, with wrk when installed and the vegeta library otherwise.
func loadFor(ctx context.Context, p *proc, paths []string, header http.Header, conns int, d time.Duration) Result {
	var res Result
	if useWrk() {
		dir, err := os.MkdirTemp("", "wrk-")
		if err != nil {
			res.Note = err.Error()
			return res
		}
		defer os.RemoveAll(dir)
		i := 0
		script, base, err := wrkScript(dir, func(t *vegeta.Target) error {
			t.Method, t.URL, t.Header = "GET", p.base+paths[i%len(paths)], header
			i++
			return nil
		})
		if err != nil {
			res.Note = err.Error()
			return res
		}
		n, errs, secs, p50, p95, p99, err := runWrk(ctx, script, base, conns, d)
		if err != nil {
			res.Note = err.Error()
			return res
		}
		res.Requests, res.Errors, res.RPS = n, errs, float64(n-errs)/secs
		res.P50ms, res.P95ms, res.P99ms = ms(p50), ms(p95), ms(p99)
		return res
	}
	r := rand.New(rand.NewPCG(7, 7))
	var mu sync.Mutex
	target := func(t *vegeta.Target) error {
		mu.Lock()
		path := paths[r.IntN(len(paths))]
		mu.Unlock()
		t.Method, t.URL, t.Header = "GET", p.base+path, header
		return nil
	}
	a := vegeta.NewAttacker(vegeta.Workers(uint64(conns)), vegeta.MaxWorkers(uint64(conns)), vegeta.Connections(conns),
		vegeta.MaxConnections(conns), vegeta.KeepAlive(true), vegeta.Timeout(30*time.Second))
	var m vegeta.Metrics
	for r := range a.Attack(target, vegeta.Rate{}, d, "row security") {
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
	return res
}
