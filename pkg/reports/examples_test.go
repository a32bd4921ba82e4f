package reports_test

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/demo"
)

// TestDocumentedExamplesRun runs the scripts of docs/reports.md against a
// test server with the demo data, so the documentation cannot rot.
func TestDocumentedExamplesRun(t *testing.T) {
	env := withDemo(t)
	srv := httptest.NewServer(env.App.Server.Echo)
	defer srv.Close()
	environ := append(os.Environ(), "BASE_URL="+srv.URL, "SAMVERKAN_USER="+demo.Users[3].Email, "SAMVERKAN_PASSWORD="+demo.Password)
	// asClient is the environment of docs/api.md's clients: an API client
	// that may read partnerships and reports.
	asClient := func() []string {
		id, secret, _ := env.NewClient([]string{auth.ScopePartnershipsRead, auth.ScopeReportsRead})
		return append(os.Environ(), "SAMVERKAN_URL="+srv.URL+"/api/v1", "CLIENT_ID="+id, "CLIENT_SECRET="+secret)
	}

	t.Run("curl and jq", func(t *testing.T) {
		for _, tool := range []string{"bash", "curl", "jq"} {
			if _, err := exec.LookPath(tool); err != nil {
				t.Skipf("%s is not installed (.ci/run installs it)", tool)
			}
		}
		script, _ := filepath.Abs("../../docs/examples/reports.sh")
		cmd := exec.Command("bash", script, "2015")
		cmd.Env, cmd.Dir = environ, t.TempDir()
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("reports.sh: %v\n%s", err, out)
		}
		for _, want := range []string{"Aktivitetshusens budget\t100000 kr", "PRIO – psykisk ohälsa 2012–2016\t300000 kr", "wrote funding-2015.xlsx"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("python", func(t *testing.T) {
		if err := exec.Command("python3", "-c", "import requests").Run(); err != nil {
			t.Skip("python3 with requests is not installed")
		}
		cmd := exec.Command("python3", "../../docs/examples/outcomes.py")
		cmd.Env = environ
		runs(t, cmd, "Fasta anställningar\t25 000 kr", "refused as expected: invalid_query - year")
	})
	t.Run("go API client", func(t *testing.T) {
		shownWhole(t, "go", "goclient/main.go")
		cmd := exec.Command("go", "run", "../../docs/examples/goclient", "2015")
		cmd.Env = asClient()
		runs(t, cmd, "may not change it: forbidden", "Aktivitetshusens budget")
	})
	t.Run("python API client", func(t *testing.T) {
		shownWhole(t, "python", "funding_report.py")
		if err := exec.Command("python3", "-c", "import requests").Run(); err != nil {
			t.Skip("python3 with requests is not installed")
		}
		cmd := exec.Command("python3", "../../docs/examples/funding_report.py", "2015")
		cmd.Env = asClient()
		runs(t, cmd, " active partnerships\n", "Aktivitetshusens budget\tFriskvårdsklubben i Göteborg\t100000 kr",
			"PRIO – psykisk ohälsa 2012–2016\tFriskvårdsklubben i Göteborg\t300000 kr")
	})
}

// shownWhole fails unless docs/api.md shows docs/examples/file whole, in a
// block of lang: the copy a reader runs must be the file the test runs.
func shownWhole(t *testing.T, lang, file string) {
	t.Helper()
	example, err := os.ReadFile("../../docs/examples/" + file)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "```"+lang+"\n"+string(example)+"```") {
		t.Errorf("docs/api.md's %s example differs from docs/examples/%s", lang, file)
	}
}

// runs runs an example and fails unless it succeeds and prints every want.
func runs(t *testing.T, cmd *exec.Cmd, wants ...string) {
	t.Helper()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", cmd.Args, err, out)
	}
	for _, want := range wants {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
