package database

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"gorm.io/gorm"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations is the embedded folder of versioned SQL migrations.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the folder is embedded at build time
	}
	return sub
}

func provider(db *gorm.DB) (*goose.Provider, error) {
	return goose.NewProvider(goose.DialectPostgres, SQL(db), Migrations())
}

// MigrateUp applies every pending migration and returns how many ran.
func MigrateUp(ctx context.Context, db *gorm.DB) (int, error) {
	p, err := provider(db)
	if err != nil {
		return 0, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("migrate up: %w", err)
	}
	return len(res), nil
}

// MigrateUpTo applies the pending migrations up to and including version
// and returns how many ran: for a test that loads data made by an older
// schema before migrating it to the newest.
func MigrateUpTo(ctx context.Context, db *gorm.DB, version int64) (int, error) {
	p, err := provider(db)
	if err != nil {
		return 0, err
	}
	res, err := p.UpTo(ctx, version)
	if err != nil {
		return len(res), fmt.Errorf("migrate up to %d: %w", version, err)
	}
	return len(res), nil
}

// MigrateDown rolls back the newest applied migration.
func MigrateDown(ctx context.Context, db *gorm.DB) error {
	p, err := provider(db)
	if err != nil {
		return err
	}
	_, err = p.Down(ctx)
	return err
}

// MigrationStatus is one migration and whether it is applied.
type MigrationStatus struct {
	Version int64
	Source  string
	Applied bool
}

// MigrateStatus lists every migration with its state.
func MigrateStatus(ctx context.Context, db *gorm.DB) ([]MigrationStatus, error) {
	p, err := provider(db)
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]MigrationStatus, len(st))
	for i, s := range st {
		out[i] = MigrationStatus{Version: s.Source.Version, Source: s.Source.Path, Applied: s.State == goose.StateApplied}
	}
	return out, nil
}
