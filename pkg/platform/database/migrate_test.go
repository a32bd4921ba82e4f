package database_test

import (
	"context"
	"testing"

	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestMigrationsGoDownAndUpAgain(t *testing.T) {
	db := dbtest.Fresh(t)
	ctx := context.Background()
	st, err := database.MigrateStatus(ctx, db)
	if err != nil || len(st) == 0 {
		t.Fatalf("status: %v %v", st, err)
	}
	for _, s := range st {
		if !s.Applied {
			t.Fatalf("the template lacks migration %d", s.Version)
		}
	}
	for range st {
		if err := database.MigrateDown(ctx, db); err != nil {
			t.Fatalf("down: %v", err)
		}
	}
	var tables int
	db.Raw("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'goose_db_version'").Scan(&tables)
	if tables != 0 {
		t.Fatalf("%d tables left after migrating all the way down", tables)
	}
	n, err := database.MigrateUp(ctx, db)
	if err != nil || n != len(st) {
		t.Fatalf("up again: %d %v", n, err)
	}
}

func TestStrings(t *testing.T) {
	db := dbtest.DB(t)
	in := database.Strings{`a"b`, `c\d`, "e,f", "g h", "{}"}
	var out database.Strings
	if err := db.Raw("SELECT ?::text[]", in).Row().Scan(&out); err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) {
		t.Fatalf("%q", out)
	}
	for i := range in {
		if in[i] != out[i] {
			t.Fatalf("%q != %q", out, in)
		}
	}
}
