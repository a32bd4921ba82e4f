package listing

import (
	"net/url"
	"testing"

	"github.com/samverkan/samverkan/pkg/platform/problem"
)

var keys = map[string]SortKey{"name": {Column: "name"}, "updated_at": {Column: "updated_at", Cast: "timestamptz"}}

func TestParse(t *testing.T) {
	tests := []struct {
		query    string
		wantErr  string // the field that fails, or ""
		limit    int
		sort     string
		desc     bool
		hasAfter bool
	}{
		{"", "", DefaultLimit, "name", false, false},
		{"limit=10&sort=-updated_at", "", 10, "updated_at", true, false},
		{"limit=200", "", 200, "name", false, false},
		{"limit=0", "limit", 0, "", false, false},
		{"limit=-1", "limit", 0, "", false, false},
		{"limit=100000", "limit", 0, "", false, false},
		{"limit=abc", "limit", 0, "", false, false},
		{"sort=password_hash", "sort", 0, "", false, false},
		{"sort=name%3BDROP%20TABLE%20users", "sort", 0, "", false, false},
		{"cursor=not-a-cursor", "cursor", 0, "", false, false},
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.query)
		p, err := Parse(q, keys, "name")
		if tt.wantErr != "" {
			pe, ok := err.(*problem.Error)
			if !ok || pe.Status != 400 || len(pe.Errors) == 0 || pe.Errors[0].Field != tt.wantErr {
				t.Errorf("Parse(%q): err = %v, want a 400 naming %s", tt.query, err, tt.wantErr)
			}
			continue
		}
		if err != nil || p.Limit != tt.limit || p.Sort != tt.sort || p.Desc != tt.desc || (p.after != nil) != tt.hasAfter {
			t.Errorf("Parse(%q) = %+v, %v", tt.query, p, err)
		}
	}
}

func TestCursorRoundTrip(t *testing.T) {
	p, _ := Parse(url.Values{"limit": {"2"}, "sort": {"-updated_at"}}, keys, "name")
	rows := []string{"a", "b", "c"}
	page, next := Cut(p, rows, func(s string) (string, string) {
		return "2026-01-01T00:00:00Z", "00000000-0000-0000-0000-00000000000" + s[:1]
	})
	if len(page) != 2 || next == "" {
		t.Fatalf("Cut = %v, %q", page, next)
	}
	p2, err := Parse(url.Values{"cursor": {next}, "sort": {"-updated_at"}}, keys, "name")
	if err != nil || p2.after == nil || p2.after.Value != "2026-01-01T00:00:00Z" {
		t.Fatalf("Parse(next) = %+v, %v", p2, err)
	}
	if _, err := Parse(url.Values{"cursor": {next}, "sort": {"name"}}, keys, "name"); err == nil {
		t.Fatal("a cursor of another sort order was accepted")
	}
	last, next := Cut(p2, []string{"c"}, nil)
	if len(last) != 1 || next != "" {
		t.Fatalf("last page = %v, %q", last, next)
	}
}

func TestOnly(t *testing.T) {
	if err := Only(url.Values{"limit": {"1"}, "sector": {"x"}}, "sector"); err != nil {
		t.Fatal(err)
	}
	err := Only(url.Values{"secter": {"x"}}, "sector")
	if pe, ok := err.(*problem.Error); !ok || pe.Errors[0].Field != "secter" {
		t.Fatalf("Only: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "limit=5", "sort=-name", "cursor=eyJzIjoibmFtZSIsInYiOiJhIiwiaSI6IngifQ", "limit=%00", "sort=--name"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		p, err := Parse(q, keys, "name")
		if err != nil {
			if pe, ok := err.(*problem.Error); !ok || pe.Status != 400 {
				t.Fatalf("Parse(%q) failed with %v, not a 400 problem", raw, err)
			}
			return
		}
		if p.Limit < 1 || p.Limit > MaxLimit {
			t.Fatalf("Parse(%q) gave limit %d", raw, p.Limit)
		}
		if _, ok := keys[p.Sort]; !ok {
			t.Fatalf("Parse(%q) gave sort %q outside the whitelist", raw, p.Sort)
		}
	})
}
