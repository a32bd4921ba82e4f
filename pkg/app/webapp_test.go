package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/platform/config"
)

func TestTheWebAppIsServedBesideTheAPI(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(dir, "index.html"), []byte(`<!doctype html><div id="root"></div>`), 0o644))
	must(os.MkdirAll(filepath.Join(dir, "assets"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "assets", "app.js"), []byte(`console.log(1)`), 0o644))
	env := apptest.New(t, func(c *config.Config) { c.WebDir = dir })
	for path, want := range map[string]string{"/": `id="root"`, "/samverkan?status=active": `id="root"`, "/assets/app.js": "console.log"} {
		if r := env.Do("GET", path, "", nil); r.Code != 200 || !strings.Contains(string(r.Body), want) {
			t.Errorf("%s: %d %s", path, r.Code, r.Body)
		}
	}
	if r := env.Do("GET", "/api/v1/nothing-here", "", nil); r.Code != 404 || !strings.Contains(r.Header.Get("Content-Type"), "problem+json") {
		t.Errorf("an unknown API path: %d %s", r.Code, r.Header.Get("Content-Type"))
	}
	if r := env.Do("GET", "/healthz", "", nil); r.Code != 200 || strings.Contains(string(r.Body), "root") {
		t.Errorf("healthz: %d %s", r.Code, r.Body)
	}
}
