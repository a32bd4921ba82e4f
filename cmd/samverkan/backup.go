package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/jackc/pgx/v5"

	"github.com/samverkan/samverkan/pkg/platform/config"
	"github.com/samverkan/samverkan/pkg/platform/pgembed"
)

// backupCommand writes the whole database to a file with pg_dump, in its
// custom format (compressed; pg_restore reads it). The file appears only
// when the dump is complete.
func backupCommand(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return errors.New("usage: samverkan backup FILE")
	}
	file := args[0]
	return withURL(ctx, func(_ config.Config, url string) error {
		tmp := file + ".partial"
		out, err := postgresTool(ctx, "pg_dump", "--format=custom", "--file="+tmp, "--dbname="+url)
		if err != nil {
			os.Remove(tmp)
			return fmt.Errorf("pg_dump: %w\n%s", err, out)
		}
		if err := os.Rename(tmp, file); err != nil {
			return err
		}
		fi, _ := os.Stat(file)
		fmt.Printf("backed up to %s (%d bytes)\n", file, fi.Size())
		return nil
	})
}

// restoreCommand loads a backup into the configured database, in one
// transaction: all of it or, on any error, nothing. It refuses a database
// that already holds tables unless told to replace them.
func restoreCommand(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	force := fs.Bool("force", false, "replace what the database holds")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: samverkan restore [--force] FILE")
	}
	file := fs.Arg(0)
	if _, err := os.Stat(file); err != nil {
		return err
	}
	return withURL(ctx, func(_ config.Config, url string) error {
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			return err
		}
		var tables int
		err = conn.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&tables)
		if err == nil {
			// The backup grants to the service's role; it must exist first.
			_, err = conn.Exec(ctx, `DO $$ BEGIN
				IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'samverkan_app') THEN CREATE ROLE samverkan_app NOLOGIN; END IF;
				END $$`)
		}
		conn.Close(ctx)
		if err != nil {
			return err
		}
		flags := []string{"--single-transaction", "--exit-on-error", "--no-owner", "--disable-triggers", "--dbname=" + url}
		if tables > 0 {
			if !*force {
				return fmt.Errorf("the database already holds %d tables; restore into an empty one, or give --force to replace them", tables)
			}
			flags = append(flags, "--clean", "--if-exists")
		}
		out, err := postgresTool(ctx, "pg_restore", append(flags, file)...)
		if err != nil {
			return fmt.Errorf("pg_restore (nothing was changed): %w\n%s", err, out)
		}
		fmt.Printf("restored %s\n", file)
		return nil
	})
}

// postgresTool runs one of PostgreSQL's client programs, from the same
// installation as the server binaries when there is one.
func postgresTool(ctx context.Context, name string, args ...string) ([]byte, error) {
	path, err := exec.LookPath(name)
	if bin, berr := pgembed.FindBinaries(); berr == nil {
		if _, serr := os.Stat(filepath.Join(bin, name)); serr == nil {
			path, err = filepath.Join(bin, name), nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s is not installed (Debian: postgresql-client)", name)
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10")
	return cmd.CombinedOutput()
}
