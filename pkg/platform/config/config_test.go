package config

import (
	"flag"
	"testing"
	"time"
)

func TestLoad(t *testing.T) {
	env := map[string]string{
		"SAMVERKAN_ADDR":                 "0.0.0.0:9000",
		"SAMVERKAN_DB_STATEMENT_TIMEOUT": "2s",
		"SAMVERKAN_CORS_ORIGINS":         "https://a.example, https://b.example",
		"SAMVERKAN_DEMO":                 "1",
		"SAMVERKAN_DEBUG_ADDR":           "127.0.0.1:6060",
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c, err := Load(func(k string) string { return env[k] }, fs, []string{"-addr", "127.0.0.1:7000"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:7000" || c.DBStatementTimeout != 2*time.Second || len(c.CORSOrigins) != 2 || !c.Demo || c.DataDir != "./var" || c.DebugAddr != "127.0.0.1:6060" {
		t.Fatalf("%+v", c)
	}
	for name, bad := range map[string]map[string]string{
		"bad duration":                        {"SAMVERKAN_DB_STATEMENT_TIMEOUT": "soon"},
		"long tokens":                         {"SAMVERKAN_ACCESS_TOKEN_TTL": "1h"},
		"half bootstrap":                      {"SAMVERKAN_BOOTSTRAP_ADMIN_EMAIL": "a@b.se"},
		"bad number":                          {"SAMVERKAN_DB_MAX_CONNS": "many"},
		"bad bool":                            {"SAMVERKAN_DEMO": "ja"},
		"no row security outside a benchmark": {"SAMVERKAN_BENCH_WITHOUT_ROW_SECURITY": "1"},
	} {
		if _, err := Load(func(k string) string { return bad[k] }, nil, nil); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// Row-level security is switched off only by the setting and the
// benchmark flag together; the flag alone changes nothing.
func TestWithoutRowSecurityNeedsTheBenchmarkFlag(t *testing.T) {
	off := map[string]string{"SAMVERKAN_BENCH_WITHOUT_ROW_SECURITY": "true"}
	for _, tc := range []struct {
		name    string
		env     map[string]string
		args    []string
		wantErr bool
		wantOff bool
	}{
		{"setting without the flag", off, nil, true, false},
		{"setting and flag", off, []string{"-benchmark"}, false, true},
		{"flag alone", nil, []string{"-benchmark"}, false, false},
		{"neither", nil, nil, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(func(k string) string { return tc.env[k] }, flag.NewFlagSet("serve", flag.ContinueOnError), tc.args)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err == nil && c.BenchWithoutRowSecurity != tc.wantOff {
				t.Fatalf("without row security = %v", c.BenchWithoutRowSecurity)
			}
		})
	}
}
