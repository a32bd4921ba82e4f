package database

import (
	"context"
	"strings"
	"testing"
)

// A pool cannot be asked both to run as the application role and to bypass
// row-level security: the benchmark's switch is not half applied.
func TestWithoutRowSecurityIsNotARole(t *testing.T) {
	_, err := Open(context.Background(), "postgres://nobody@127.0.0.1:1/none", Options{Role: AppRole, WithoutRowSecurity: true})
	if err == nil || !strings.Contains(err.Error(), "not both") {
		t.Fatalf("err = %v", err)
	}
}

// Only a benchmark's session leaves out the role.
func TestBeginSetsTheRole(t *testing.T) {
	sc := Scope{Tenant: "0e2a6e2c-6c64-4b36-9c8c-3a0b6f0c0001"}
	if q := sc.begin(false); !strings.Contains(q, "SET LOCAL ROLE "+AppRole+";") {
		t.Errorf("a session's begin sets no role: %s", q)
	}
	if q := sc.begin(true); strings.Contains(q, "ROLE") || !strings.Contains(q, sc.Tenant) {
		t.Errorf("a benchmark's begin: %s", q)
	}
}
