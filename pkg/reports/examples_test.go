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
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("outcomes.py: %v\n%s", err, out)
		}
		for _, want := range []string{"Fasta anställningar\t25 000 kr", "refused as expected: invalid_query - year"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("go API client", func(t *testing.T) {
		// docs/api.md shows the program whole: the copy must be the file.
		program, err := os.ReadFile("../../docs/examples/goclient/main.go")
		if err != nil {
			t.Fatal(err)
		}
		doc, err := os.ReadFile("../../docs/api.md")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(doc), "```go\n"+string(program)+"```") {
			t.Error("docs/api.md's Go example differs from docs/examples/goclient/main.go")
		}
		id, secret, _ := env.NewClient([]string{auth.ScopePartnershipsRead, auth.ScopeReportsRead})
		cmd := exec.Command("go", "run", "../../docs/examples/goclient", "2015")
		cmd.Env = append(os.Environ(), "SAMVERKAN_URL="+srv.URL+"/api/v1", "CLIENT_ID="+id, "CLIENT_SECRET="+secret)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("goclient: %v\n%s", err, out)
		}
		for _, want := range []string{"may not change it: forbidden", "Aktivitetshusens budget"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("python API client", func(t *testing.T) {
		// docs/api.md shows the script whole: the copy must be the file.
		script, err := os.ReadFile("../../docs/examples/funding_report.py")
		if err != nil {
			t.Fatal(err)
		}
		doc, err := os.ReadFile("../../docs/api.md")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(doc), "```python\n"+string(script)+"```") {
			t.Error("docs/api.md's Python example differs from docs/examples/funding_report.py")
		}
		if err := exec.Command("python3", "-c", "import requests").Run(); err != nil {
			t.Skip("python3 with requests is not installed")
		}
		id, secret, _ := env.NewClient([]string{auth.ScopePartnershipsRead, auth.ScopeReportsRead})
		cmd := exec.Command("python3", "../../docs/examples/funding_report.py", "2015")
		cmd.Env = append(os.Environ(), "SAMVERKAN_URL="+srv.URL+"/api/v1", "CLIENT_ID="+id, "CLIENT_SECRET="+secret)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("funding_report.py: %v\n%s", err, out)
		}
		for _, want := range []string{" active partnerships\n", "Aktivitetshusens budget\tFriskvårdsklubben i Göteborg\t100000 kr",
			"PRIO – psykisk ohälsa 2012–2016\tFriskvårdsklubben i Göteborg\t300000 kr"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
}
