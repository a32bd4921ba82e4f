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
	return b.String()
}
