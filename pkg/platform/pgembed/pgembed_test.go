package pgembed

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestStartStopRestart runs a real cluster: created on first start, reused
// (with its data) on the next, and started again over a stale postmaster.pid.
func TestStartStopRestart(t *testing.T) {
	if _, err := FindBinaries(); err != nil {
		t.Skip("no PostgreSQL binaries here:", err)
	}
	dir := t.TempDir()
	if os.Geteuid() == 0 {
		// The cluster's user must be able to reach the data dir.
		if err := os.Chmod(filepath.Dir(dir), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	exec := func(s *Server, sql string) {
		t.Helper()
		conn, err := pgx.Connect(ctx, s.URL("postgres"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}

	s, err := Start(ctx, dir, log)
	if err != nil {
		t.Fatal(err)
	}
	exec(s, "CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)")
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}

	// A crash leaves postmaster.pid behind, naming a process that is gone.
	pid := filepath.Join(dir, "postgres", "postmaster.pid")
	if err := os.WriteFile(pid, []byte("999999\n"+filepath.Join(dir, "postgres")+"\n1\n5432\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err = Start(ctx, dir, log)
	if err != nil {
		t.Fatalf("start over a stale postmaster.pid: %v", err)
	}
	defer s.Stop(ctx)
	conn, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var x int
	if err := conn.QueryRow(ctx, "SELECT x FROM kept").Scan(&x); err != nil || x != 42 {
		t.Fatalf("data did not survive the restart: %d %v", x, err)
	}

	// A second start while it runs joins it and leaves it running.
	joined, err := Start(ctx, dir, log)
	if err != nil || joined.port != s.port {
		t.Fatalf("join: %v (port %d, want %d)", err, joined.port, s.port)
	}
	if err := joined.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := conn.Ping(ctx); err != nil {
		t.Fatal("stopping a joined server stopped it")
	}
}
