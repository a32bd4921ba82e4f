package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// write saves the run as JSON and as a Markdown table in bench/results/,
// dated, and, when every measurement ran, as latest-<scale>.md for the docs
// to point at.
func write(rep Report, complete bool) error {
	dir := filepath.Join("bench", "results")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	stamp := rep.StartedAt.Format("2006-01-02T1504")
	js, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	md := markdown(rep)
	files := map[string][]byte{
		fmt.Sprintf("%s-%s.json", stamp, rep.Scale): js,
		fmt.Sprintf("%s-%s.md", stamp, rep.Scale):   []byte(md),
	}
	if complete {
		files[fmt.Sprintf("latest-%s.md", rep.Scale)] = []byte(md)
		files[fmt.Sprintf("latest-%s.json", rep.Scale)] = js
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
			return err
		}
	}
	fmt.Print("\n" + md)
	fmt.Printf("written to %s\n", dir)
	return nil
}

// markdown is the side-by-side table, with ratios of the list throughput.
func markdown(rep Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Scale **%s**, %d connections, %s per measurement, %s. Data seeded in %s.\n\n",
		rep.Scale, rep.Connections, rep.Duration, rep.StartedAt.Format("2006-01-02 15:04 UTC"), rep.Seeded)
	fmt.Fprintf(&b, "Machine: %s. Load: %s, over loopback on the same machine. Database: %s.\n\n", rep.Machine, rep.LoadGen, rep.Database)
	fmt.Fprintf(&b, "Commit %s. Requests of one tenant's API client: %s. /proc/loadavg before: %s; after: %s.\n\n", rep.Commit, rep.Tenant, rep.LoadBefore, rep.LoadAfter)
	b.WriteString("| measurement | contender | req/s | p50 ms | p95 ms | p99 ms | errors | peak RSS MB | CPU % | note |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
	var plain, gzipped float64
	for _, r := range rep.Results {
		switch {
		case r.Measurement == "list" && r.Contender == ContenderPlain:
			plain = r.RPS
		case r.Measurement == "list" && r.Contender == "Samverkan":
			gzipped = r.RPS
		}
	}
	for _, r := range rep.Results {
		note := r.Note
		if r.Measurement == "list" && !strings.HasPrefix(r.Contender, "Samverkan") && r.RPS > 0 && plain > 0 {
			note = strings.TrimPrefix(note+fmt.Sprintf("; Samverkan/this = %.2f× (%.2f× gzipped)", plain/r.RPS, gzipped/r.RPS), "; ")
		}
		rss, cpu := "–", "–"
		if r.PeakRSSMB > 0 {
			rss, cpu = fmt.Sprintf("%.0f", r.PeakRSSMB), fmt.Sprintf("%.0f", r.CPUPercent)
		}
		fmt.Fprintf(&b, "| %s | %s | %.0f | %.1f | %.1f | %.1f | %d | %s | %s | %s |\n",
			r.Measurement, r.Contender, r.RPS, r.P50ms, r.P95ms, r.P99ms, r.Errors, rss, cpu, note)
	}
	rowSecurity(&b, rep.RowSecurity)
	return b.String()
}

// rowSecurity is the comparison of row-level security on and off: the
// medians and the spread of the ratio, then every round.
func rowSecurity(b *strings.Builder, cs []Comparison) {
	if len(cs) == 0 {
		return
	}
	fmt.Fprintf(b, "\n### Row-level security on and off\n\n"+
		"Two instances of the service over the same database, one as samverkan_app held to row-level security (on), one as the superuser "+
		"login with the policies bypassed (off, `SAMVERKAN_BENCH_WITHOUT_ROW_SECURITY` with `-benchmark`); loaded in turns (on, off, on, off …) "+
		"with the same requests, after an uncounted warm-up of each. The target is on ≥ %.1f× off.\n\n", RowSecurityTarget)
	b.WriteString("The CPU ratio is off's CPU time per request ÷ on's (the service's and PostgreSQL's): the throughput ratio on a machine " +
		"running nothing else, which other work on the machine hardly moves.\n\n")
	b.WriteString("| measurement | on req/s (median) | off req/s (median) | on ÷ off (median) | spread | CPU ratio (median) | spread | target |\n|---|---:|---:|---:|---|---:|---|---|\n")
	for _, c := range cs {
		met := "met"
		if c.Ratio < RowSecurityTarget {
			met = "**not met**"
		}
		cpu, spread := "–", "–"
		if c.CPURatio > 0 {
			cpu, spread = fmt.Sprintf("%.3f", c.CPURatio), fmt.Sprintf("%.3f – %.3f", c.CPURatioMin, c.CPURatioMax)
		}
		fmt.Fprintf(b, "| %s | %.0f | %.0f | %.3f | %.3f – %.3f | %s | %s | %s |\n", c.Measurement, c.OnRPS, c.OffRPS, c.Ratio, c.RatioMin, c.RatioMax, cpu, spread, met)
	}
	for _, c := range cs {
		if c.Note != "" {
			fmt.Fprintf(b, "\n%s: the two did not answer alike, so off did other work: %s\n", c.Measurement, c.Note)
		}
	}
	b.WriteString("\n| measurement | round | on req/s | on p50 / p95 / p99 ms | on CPU ms/req | off req/s | off p50 / p95 / p99 ms | off CPU ms/req | on ÷ off | CPU ratio | errors on/off |\n" +
		"|---|---:|---:|---|---:|---:|---|---:|---:|---:|---|\n")
	for _, c := range cs {
		for i, r := range c.Rounds {
			fmt.Fprintf(b, "| %s | %d | %.0f | %.1f / %.1f / %.1f | %.2f | %.0f | %.1f / %.1f / %.1f | %.2f | %.3f | %.3f | %d / %d |\n", c.Measurement, i+1,
				r.On.RPS, r.On.P50ms, r.On.P95ms, r.On.P99ms, r.OnCPUms, r.Off.RPS, r.Off.P50ms, r.Off.P95ms, r.Off.P99ms, r.OffCPUms, r.Ratio, r.CPURatio, r.On.Errors, r.Off.Errors)
		}
	}
}
