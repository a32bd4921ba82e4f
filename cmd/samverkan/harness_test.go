package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/pgembed"
)

// The tests of this package run the real binary: built once, started as
// many times as they need, over the test server or a PostgreSQL of their own.

var (
	buildOnce sync.Once
	built     string
	buildErr  error
)

// binary builds samverkan once for the package's tests.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "samverkan-bin-")
		if err != nil {
			buildErr = err
			return
		}
		built = filepath.Join(dir, "samverkan")
		if out, err := exec.Command("go", "build", "-o", built, ".").CombinedOutput(); err != nil {
			buildErr = err
			built = string(out)
		}
	})
	if buildErr != nil {
		t.Fatalf("build: %v\n%s", buildErr, built)
	}
	return built
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// server is one `samverkan serve` process.
type server struct {
	cmd  *exec.Cmd
	base string
	done chan struct{} // closed when the process has exited
}

// harness is what every server of a test shares: a signing key, a data
// folder and the first administrator.
type harness struct {
	t       *testing.T
	dir     string
	keyFile string
}

const harnessAdmin, harnessPassword = "admin@harness.test", "harness-password-123"

func newHarness(t *testing.T) *harness {
	dir := t.TempDir()
	h := &harness{t: t, dir: dir, keyFile: filepath.Join(dir, "jwt.pem")}
	if _, err := auth.LoadOrCreateKey(h.keyFile); err != nil {
		t.Fatal(err)
	}
	return h
}

// serve starts a server on dbURL with env on top of the harness's, and
// waits until ready (or, with ready false, until it answers at all).
func (h *harness) serve(name, dbURL string, ready bool, env ...string) *server {
	t := h.t
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(binary(t), "serve")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "SAMVERKAN_ADDR="+addr, "SAMVERKAN_DATA_DIR="+filepath.Join(h.dir, name),
		"SAMVERKAN_JWT_KEY_FILE="+h.keyFile, "SAMVERKAN_BOOTSTRAP_ADMIN_EMAIL="+harnessAdmin, "SAMVERKAN_BOOTSTRAP_ADMIN_PASSWORD="+harnessPassword, "SAMVERKAN_BOOTSTRAP_TENANT=1480",
		"SAMVERKAN_LOG_LEVEL=error", "SAMVERKAN_SIGNIN_MAX_FAILURES_ADDRESS=0", "SAMVERKAN_DEMO=", "SAMVERKAN_RATE_LIMIT=0")
	cmd.Env = append(cmd.Env, env...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, base: "http://" + addr, done: make(chan struct{})}
	go func() { cmd.Wait(); close(s.done) }() //nolint:errcheck
	t.Cleanup(func() { s.signal(os.Kill); <-s.done })
	probe := "/readyz"
	if !ready {
		probe = "/healthz"
	}
	for i := 0; i < 300; i++ {
		if res, err := http.Get(s.base + probe); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return s
			}
		}
		select {
		case <-s.done:
			t.Fatalf("server %s exited at start", name)
		case <-time.After(100 * time.Millisecond):
		}
	}
	t.Fatalf("server %s did not start", name)
	return s
}

func (s *server) signal(sig os.Signal) {
	select {
	case <-s.done:
	default:
		s.cmd.Process.Signal(sig) //nolint:errcheck
	}
}

// token signs the harness's administrator in.
func (s *server) token(t *testing.T) string {
	t.Helper()
	res, err := http.PostForm(s.base+"/api/v1/auth/token", url.Values{"grant_type": {"password"}, "username": {harnessAdmin}, "password": {harnessPassword}})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(res.Body).Decode(&tok) //nolint:errcheck
	if tok.AccessToken == "" {
		t.Fatalf("sign in: %d", res.StatusCode)
	}
	return tok.AccessToken
}

// answer is what one request got.
type answer struct {
	sent       time.Time
	took       time.Duration
	status     int // 0: no answer (err)
	retryAfter string
	body       []byte
	err        error
}

var client = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

// send makes one request; body may be nil.
func (s *server) send(method, path, token string, body any, header ...string) answer {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	a := answer{sent: time.Now()}
	res, err := client.Do(req)
	if err != nil {
		a.took, a.err = time.Since(a.sent), err
		return a
	}
	defer res.Body.Close()
	a.body, a.err = io.ReadAll(res.Body)
	a.took, a.status, a.retryAfter = time.Since(a.sent), res.StatusCode, res.Header.Get("Retry-After")
	return a
}

// goroutines is the server's go_goroutines from /metrics.
func (s *server) goroutines(t *testing.T) int {
	t.Helper()
	res, err := http.Get(s.base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "go_goroutines "); ok {
			n, _ := strconv.ParseFloat(v, 64)
			return int(n)
		}
	}
	t.Fatal("no go_goroutines in /metrics")
	return 0
}

// cluster is a PostgreSQL of the test's own, on a port that stays the same
// when the test stops and starts it.
type cluster struct {
	t    *testing.T
	dir  string
	port int
	srv  *pgembed.Server
}

func newCluster(t *testing.T) *cluster {
	dir, err := os.MkdirTemp("", "samverkan-pg-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755) //nolint:errcheck // the cluster runs as an unprivileged user when we are root
	_, port, _ := net.SplitHostPort(freeAddr(t))
	c := &cluster{t: t, dir: dir}
	c.port, _ = strconv.Atoi(port)
	t.Cleanup(func() {
		if c.srv != nil {
			c.srv.Stop(context.Background()) //nolint:errcheck
		}
		os.RemoveAll(dir)
	})
	c.start()
	if err := database.EnsureDatabase(context.Background(), c.srv.URL("postgres"), "samverkan"); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *cluster) start() {
	c.t.Helper()
	srv, err := pgembed.StartWith(context.Background(), c.dir, slog.New(slog.DiscardHandler), pgembed.Options{Port: c.port})
	if err != nil {
		c.t.Fatal(err)
	}
	c.srv = srv
}

func (c *cluster) stop() {
	c.t.Helper()
	if err := c.srv.Stop(context.Background()); err != nil {
		c.t.Fatal(err)
	}
}

func (c *cluster) url() string { return c.srv.URL("samverkan") }
