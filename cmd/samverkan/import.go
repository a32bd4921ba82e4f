package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/schollz/progressbar/v3"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/app"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/imports"
	"github.com/samverkan/samverkan/pkg/platform/config"
	"github.com/samverkan/samverkan/pkg/platform/progress"
)

// importCommand imports a file as the system, as POST /imports does for a
// user: all or nothing, every problem listed by row and column.
func importCommand(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	typ := fs.String("type", "", "what the file holds: "+strings.Join(imports.Types, " or "))
	dry := fs.Bool("dry-run", false, "check only; write nothing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *typ == "" {
		return errors.New("usage: samverkan import --type organisations|partnerships|allocations|measurements [--dry-run] FILE")
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	return withDB(ctx, func(db *gorm.DB) error {
		cfg, _ := config.FromEnv()
		_, key, _ := ed25519.GenerateKey(nil) // importing signs no tokens
		a, err := app.New(cfg, db, key, newLogger("error", os.Stderr), app.Options{})
		if err != nil {
			return err
		}
		bar := progressbar.NewOptions(-1, progressbar.OptionSetDescription("importing "+*typ),
			progressbar.OptionSetWriter(os.Stderr), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
		ctx := progress.With(ctx, func(done, total int) {
			bar.ChangeMax(total)
			_ = bar.Set(done + 1)
		})
		res, err := a.Imports.Run(ctx, auth.System, *typ, data, *dry)
		_ = bar.Finish()
		for _, e := range res.Errors {
			fmt.Fprintf(os.Stderr, "row %d, %s: %s (%s)\n", e.Row, e.Column, e.Message, e.Code)
		}
		if err != nil && len(res.Errors) == 0 {
			return err
		}
		switch {
		case len(res.Errors) > 0:
			return fmt.Errorf("%d rows read, %d problems: nothing imported", res.Rows, len(res.Errors))
		case *dry:
			fmt.Printf("dry run: %d rows read, %d would be created and %d updated; nothing written\n", res.Rows, res.Created, res.Updated)
		default:
			fmt.Printf("imported %d rows: %d created, %d updated\n", res.Rows, res.Created, res.Updated)
		}
		return nil
	})
}
