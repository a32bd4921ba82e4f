package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// useWrk tells whether to load with wrk (Debian's package), which takes
// less of the two cores than a Go load generator and so leaves more to the
// servers measured. BENCH_LOADGEN=vegeta forces the vegeta library.
func useWrk() bool {
	_, err := exec.LookPath("wrk")
	return err == nil && os.Getenv("BENCH_LOADGEN") != "vegeta"
}

// wrkScript writes a Lua script for wrk that sends 2,000 requests drawn
// from target, in random order, and prints its figures at the end.
func wrkScript(dir string, target func(*vegeta.Target) error) (string, string, error) {
	var b strings.Builder
	b.WriteString("local reqs = {\n")
	base := ""
	var headers map[string][]string
	for i := 0; i < 2000; i++ {
		var t vegeta.Target
		if err := target(&t); err != nil {
			return "", "", err
		}
		u, err := url.Parse(t.URL)
		if err != nil {
			return "", "", err
		}
		base, headers = u.Scheme+"://"+u.Host, t.Header
		fmt.Fprintf(&b, "{%q, %q, %q},\n", t.Method, u.RequestURI(), string(t.Body))
	}
	b.WriteString("}\nlocal hdr = {}\n")
	for k, v := range headers {
		fmt.Fprintf(&b, "hdr[%q] = %q\n", k, v[0])
	}
	b.WriteString(`
math.randomseed(os.time())
request = function()
  local r = reqs[math.random(#reqs)]
  local body = nil
  if r[3] ~= "" then body = r[3] end
  return wrk.format(r[1], r[2], hdr, body)
end
done = function(s, latency, requests)
  local e = s.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\n", s.requests, e.status + e.connect + e.read + e.write + e.timeout,
    s.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
`)
	path := filepath.Join(dir, "load.lua")
	return path, base, os.WriteFile(path, []byte(b.String()), 0o600)
}

var wrkResult = regexp.MustCompile(`RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)`)

// runWrk loads base for d with the script and returns requests, errors,
// seconds and the p50, p95 and p99 latencies.
func runWrk(ctx context.Context, script, base string, conns int, d time.Duration) (req, errs uint64, secs float64, p50, p95, p99 time.Duration, err error) {
	threads := "2"
	out, err := exec.CommandContext(ctx, "wrk", "-t", threads, "-c", strconv.Itoa(conns), "-d", fmt.Sprintf("%ds", int(d.Seconds())),
		"--timeout", "30s", "-s", script, base).CombinedOutput()
	if err != nil {
		return 0, 0, 0, 0, 0, 0, fmt.Errorf("wrk: %w: %s", err, out)
	}
	m := wrkResult.FindSubmatch(out)
	if m == nil {
		return 0, 0, 0, 0, 0, 0, fmt.Errorf("wrk printed no result: %s", out)
	}
	n := make([]uint64, 6)
	for i := range n {
		n[i], _ = strconv.ParseUint(string(m[i+1]), 10, 64)
	}
	us := func(v uint64) time.Duration { return time.Duration(v) * time.Microsecond }
	return n[0], n[1], float64(n[2]) / 1e6, us(n[3]), us(n[4]), us(n[5]), nil
}
