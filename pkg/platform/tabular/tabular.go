// Package tabular is what every area's importer shares: rows as the export
// writes them, the result of an import, and readers for the exported forms of
// times, numbers, lists and booleans that collect field errors.
package tabular

import (
	"strconv"
	"strings"
	"time"

	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Row is one data row by column name, with its line in the file (the header
// is line 1).
type Row struct {
	Line   int
	Values map[string]string
}

// Result counts what an import did (or would do); Problems are field errors
// by line.
type Result struct {
	Created, Updated int
	Problems         map[int]problem.Fields
}

// NewResult returns an empty result.
func NewResult() Result { return Result{Problems: map[int]problem.Fields{}} }

// Count adds one created or updated row.
func (r *Result) Count(existed bool) {
	if existed {
		r.Updated++
	} else {
		r.Created++
	}
}

// Time reads an RFC 3339 timestamp; "" is nil.
func Time(f *problem.Fields, field, v string) *time.Time {
	if v == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		f.Add(field, "invalid_time", "must be an RFC 3339 timestamp such as 2026-01-31T12:00:00Z")
		return nil
	}
	return &t
}

// Version reads a version; "" is 1.
func Version(f *problem.Fields, v string) int {
	if v == "" {
		return 1
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		f.Add("version", "invalid_number", "must be a whole number from 1")
		return 1
	}
	return n
}

// Minor reads an amount in öre (or cent); "" is nil.
func Minor(f *problem.Fields, field, v string) *int64 {
	if v == "" {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		f.Add(field, "invalid_number", "must be a whole number of öre (or cent)")
		return nil
	}
	return &n
}

// Bool reads true or false; "" is false.
func Bool(f *problem.Fields, field, v string) bool {
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		f.Add(field, "invalid_bool", "must be true or false")
	}
	return b
}

// List reads a ;-separated list; "" is empty.
func List(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, ";")
}

// ID reads an optional id; a malformed one is a field error and "".
func ID(f *problem.Fields, v, what string) string {
	if v != "" && !problem.IsUUID(v) {
		f.Add("id", "invalid_id", "must be an id (UUID) or empty for a new "+what)
		return ""
	}
	return v
}
