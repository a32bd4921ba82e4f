package main

import (
	"context"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/samverkan/samverkan/pkg/app"
	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

// emptyDatabase creates a database with nothing in it, dropped after the test.
func emptyDatabase(t *testing.T) string {
	t.Helper()
	admin, err := dbtest.ServerURL()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	name := "samverkan_restore_" + strings.ReplaceAll(strings.TrimPrefix(apptest.Unique(""), "-"), "-", "_")
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), admin)
		if err == nil {
			c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)") //nolint:errcheck
			c.Close(context.Background())
		}
	})
	u, _ := url.Parse(admin)
	u.Path = "/" + name
	return u.String()
}

var generatedAt = regexp.MustCompile(`"generated_at":"[^"]*"`)

// TestBackupRestoresEveryExportByteForByte backs up a database holding the
// demo, restores it into a new one, and asks both for every export there
// is: every list and report the API answers without an id, as JSON and as
// CSV, as an administrator. They must be the same, byte for byte (but for
// the time each report was made), and the restored audit trail must verify.
func TestBackupRestoresEveryExportByteForByte(t *testing.T) {
	ctx := context.Background()
	srcURL := dbtest.FreshURL(t)
	src, err := database.Open(ctx, srcURL, database.Options{MaxConns: 5})
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(src)
	if _, err := app.LoadDemo(ctx, src, apptest.CheapPasswords); err != nil {
		t.Fatal(err)
	}
	before := apptest.Over(t, src)
	adminUser, _ := before.NewUser(auth.RoleAdmin)

	file := filepath.Join(t.TempDir(), "samverkan.backup")
	t.Setenv("DATABASE_URL", srcURL)
	if err := backupCommand(ctx, []string{file}); err != nil {
		t.Fatal(err)
	}
	dstURL := emptyDatabase(t)
	t.Setenv("DATABASE_URL", dstURL)
	if err := restoreCommand(ctx, []string{file}); err != nil {
		t.Fatal(err)
	}
	if err := restoreCommand(ctx, []string{file}); err == nil || !strings.Contains(err.Error(), "already holds") {
		t.Errorf("a second restore over the first: %v", err)
	}
	dst, err := database.Open(ctx, dstURL, database.Options{MaxConns: 5})
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(dst)
	after := apptest.Over(t, dst)

	admin := auth.Principal{Kind: auth.KindUser, ID: adminUser.ID, Role: auth.RoleAdmin}
	srcToken, dstToken := before.Token(admin), after.Token(admin)
	compared := 0
	for _, r := range before.App.Router.Routes() {
		if r.Method != "GET" || !strings.HasPrefix(r.Path, "/api/v1/") || strings.Contains(r.Path, ":") {
			continue
		}
		for _, format := range []string{"", "?format=csv"} {
			a := before.Do("GET", r.Path+format, srcToken, nil)
			b := after.Do("GET", r.Path+format, dstToken, nil)
			if a.Code != b.Code {
				t.Errorf("GET %s%s: %d before, %d after the restore", r.Path, format, a.Code, b.Code)
				continue
			}
			if a.Code != 200 {
				continue
			}
			ab, bb := generatedAt.ReplaceAll(a.Body, nil), generatedAt.ReplaceAll(b.Body, nil)
			if string(ab) != string(bb) {
				t.Errorf("GET %s%s differs after the restore:\n%.300s\n%.300s", r.Path, format, ab, bb)
			}
			compared++
		}
	}
	if compared < 40 {
		t.Errorf("only %d exports compared", compared)
	}
	var out strings.Builder
	if err := verifyTrail(ctx, dst, &out); err != nil {
		t.Errorf("the restored audit trail: %v\n%s", err, out.String())
	}
	t.Logf("%d exports compared byte for byte; %s", compared, strings.TrimSpace(out.String()))
}

func TestMain(m *testing.M) { dbtest.Main(m) }
