// Package pgembed runs a PostgreSQL server of its own from the PostgreSQL
// binaries installed on the machine, so that `samverkan serve` needs nothing set
// up on a fresh machine. The cluster lives in a folder of the data dir and
// survives restarts; it listens on loopback only, on a free port, with a
// generated password.
package pgembed

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrNoBinaries is returned when no PostgreSQL installation can be found.
var ErrNoBinaries = errors.New(`no PostgreSQL server binaries (initdb, pg_ctl, postgres) were found on PATH, through pg_config --bindir, or under /usr/lib/postgresql/*/bin.
Samverkan starts its own PostgreSQL when DATABASE_URL is not set, and needs the server installed for that: on Debian or Ubuntu run "apt-get install postgresql" (on macOS "brew install postgresql@15").
Or point Samverkan at a server you already run: DATABASE_URL=postgres://user:password@host:5432/samverkan`)

// Server is a running embedded cluster.
type Server struct {
	dir     string // the cluster's data directory
	bin     string
	runAs   *syscall.Credential
	port    int
	pass    string
	started bool // false when we found it already running and must leave it so
	log     *slog.Logger
}

// URL is the connection string of the database named db.
func (s *Server) URL(db string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword("postgres", s.pass),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)),
		Path:     "/" + db,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Start finds the binaries, creates the cluster under dataDir/postgres on first
// use, and starts it (or joins it when it already runs). Call Stop on shutdown.
func Start(ctx context.Context, dataDir string, log *slog.Logger) (*Server, error) {
	return StartWith(ctx, dataDir, log, Options{})
}

// Options change how StartWith starts the server.
type Options struct {
	// Port to listen on; 0: a free one.
	Port int
	// Settings are server settings (postgres -c name=value) such as
	// shared_buffers; values must not contain spaces.
	Settings map[string]string
}

// StartWith is Start with options. They apply when this call starts the
// server; a server found already running keeps those it was started with.
func StartWith(ctx context.Context, dataDir string, log *slog.Logger, o Options) (*Server, error) {
	bin, err := FindBinaries()
	if err != nil {
		return nil, err
	}
	root, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	s := &Server{dir: filepath.Join(root, "postgres"), bin: bin, log: log}
	if os.Geteuid() == 0 {
		// initdb refuses to run as root; the cluster belongs to an unprivileged user.
		if s.runAs, err = unprivilegedUser(); err != nil {
			return nil, err
		}
		if fi, err := os.Stat(root); err == nil && fi.Mode().Perm()&0o001 == 0 {
			return nil, fmt.Errorf("the data dir %s is closed to the unprivileged user (uid %d) that runs the cluster; open it with chmod o+x %s", root, s.runAs.Uid, root)
		}
	}
	if s.pass, err = password(filepath.Join(root, "postgres.password")); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(s.dir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := s.initdb(ctx, root); err != nil {
			return nil, err
		}
	}
	if s.running(ctx) {
		if s.port, err = s.pidFilePort(); err != nil {
			return nil, err
		}
		log.Info("embedded PostgreSQL already running", "dir", s.dir, "port", s.port)
		return s, nil
	}
	// A postmaster.pid left by a crash names a process that is gone; postgres
	// would refuse to start if that pid now belongs to someone else.
	_ = os.Remove(filepath.Join(s.dir, "postmaster.pid"))
	s.port = o.Port
	if s.port == 0 {
		if s.port, err = freePort(); err != nil {
			return nil, err
		}
	}
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories=''", s.port)
	names := make([]string, 0, len(o.Settings))
	for name := range o.Settings {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		opts += fmt.Sprintf(" -c %s=%s", name, o.Settings[name])
	}
	logFile := filepath.Join(root, "postgres.log")
	if s.runAs != nil {
		if err := touchOwned(logFile, s.runAs); err != nil {
			return nil, err
		}
	}
	if out, err := s.run(ctx, "pg_ctl", "start", "-w", "-t", "60", "-D", s.dir, "-l", logFile, "-o", opts); err != nil {
		return nil, fmt.Errorf("start embedded PostgreSQL (see %s): %w\n%s", logFile, err, out)
	}
	s.started = true
	log.Info("embedded PostgreSQL started", "dir", s.dir, "port", s.port)
	return s, nil
}

// Stop shuts the cluster down cleanly if this process started it.
func (s *Server) Stop(ctx context.Context) error {
	if s == nil || !s.started {
		return nil
	}
	out, err := s.run(ctx, "pg_ctl", "stop", "-w", "-m", "fast", "-D", s.dir)
	if err != nil {
		return fmt.Errorf("stop embedded PostgreSQL: %w\n%s", err, out)
	}
	s.log.Info("embedded PostgreSQL stopped")
	return nil
}

// Detach leaves the server running after this process ends; tests share one.
func (s *Server) Detach() { s.started = false }

func (s *Server) initdb(ctx context.Context, root string) error {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return err
	}
	pwfile := filepath.Join(root, ".initdb-pw")
	if err := os.WriteFile(pwfile, []byte(s.pass+"\n"), 0o600); err != nil {
		return err
	}
	defer os.Remove(pwfile)
	if s.runAs != nil {
		for _, p := range []string{s.dir, pwfile} {
			if err := os.Chown(p, int(s.runAs.Uid), int(s.runAs.Gid)); err != nil {
				return fmt.Errorf("hand %s to the postgres user: %w", p, err)
			}
		}
	}
	s.log.Info("creating embedded PostgreSQL cluster", "dir", s.dir)
	out, err := s.run(ctx, "initdb", "-D", s.dir, "-U", "postgres", "--pwfile", pwfile,
		"--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8")
	if err != nil {
		_ = os.RemoveAll(s.dir)
		return fmt.Errorf("initdb: %w\n%s", err, out)
	}
	return nil
}

func (s *Server) running(ctx context.Context) bool {
	_, err := s.run(ctx, "pg_ctl", "status", "-D", s.dir)
	return err == nil
}

// pidFilePort reads the port from line 4 of postmaster.pid.
func (s *Server) pidFilePort() (int, error) {
	f, err := os.Open(filepath.Join(s.dir, "postmaster.pid"))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for i := 1; sc.Scan(); i++ {
		if i == 4 {
			return strconv.Atoi(strings.TrimSpace(sc.Text()))
		}
	}
	return 0, errors.New("postmaster.pid has no port line")
}

func (s *Server) run(ctx context.Context, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(s.bin, name), args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	if s.runAs != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.runAs}
		cmd.Dir = "/"
	}
	return cmd.CombinedOutput()
}

// FindBinaries returns the folder holding initdb, pg_ctl and postgres.
func FindBinaries() (string, error) {
	var candidates []string
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			candidates = append(candidates, filepath.Dir(real))
		}
		candidates = append(candidates, filepath.Dir(p))
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		candidates = append(candidates, strings.TrimSpace(string(out)))
	}
	versions, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(versions, func(i, j int) bool { return majorOf(versions[i]) > majorOf(versions[j]) })
	candidates = append(candidates, versions...)
	for _, dir := range candidates {
		if hasAll(dir, "initdb", "pg_ctl", "postgres") {
			return dir, nil
		}
	}
	return "", ErrNoBinaries
}

func majorOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func hasAll(dir string, names ...string) bool {
	for _, n := range names {
		if st, err := os.Stat(filepath.Join(dir, n)); err != nil || st.IsDir() {
			return false
		}
	}
	return true
}

func unprivilegedUser() (*syscall.Credential, error) {
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
	}
	return nil, errors.New("running as root, but no unprivileged user (postgres or nobody) exists to own the embedded PostgreSQL cluster")
}

func touchOwned(path string, cred *syscall.Credential) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	f.Close()
	return os.Chown(path, int(cred.Uid), int(cred.Gid))
}

// password returns the cluster's superuser password, creating it once.
func password(path string) (string, error) {
	if b, err := os.ReadFile(path); err == nil {
		return strings.TrimSpace(string(b)), nil
	}
	buf := make([]byte, 24)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	pw := hex.EncodeToString(buf)
	return pw, os.WriteFile(path, []byte(pw+"\n"), 0o600)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
