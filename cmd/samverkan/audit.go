package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
)

// errBrokenChain is the exit of `audit verify` on a trail that does not hold.
var errBrokenChain = errors.New("the audit trail has been tampered with")

// auditCommand runs `samverkan audit verify`.
func auditCommand(ctx context.Context, args []string, out io.Writer) error {
	if len(args) != 1 || args[0] != "verify" {
		return errors.New("usage: samverkan audit verify")
	}
	return withDB(ctx, func(db *gorm.DB) error { return verifyTrail(ctx, db, out) })
}

// verifyTrail checks every chain and says what it found; the first broken
// link is where to start looking.
func verifyTrail(ctx context.Context, db *gorm.DB, out io.Writer) error {
	v, err := audit.Verify(ctx, db)
	if err != nil {
		return err
	}
	if v.Intact() {
		fmt.Fprintf(out, "verified %d events in %d streams: every link holds\n", v.Events, v.Streams)
		return nil
	}
	fmt.Fprintf(out, "verified %d events in %d streams: %d broken links\nfirst broken link: %s\n", v.Events, v.Streams, len(v.Broken), v.Broken[0])
	for _, b := range v.Broken[1:min(len(v.Broken), 20)] {
		fmt.Fprintf(out, "  also: %s\n", b)
	}
	return errBrokenChain
}
