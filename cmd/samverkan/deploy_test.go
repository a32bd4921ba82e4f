package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// TestContainerFiles checks what can be checked of docker-compose.yml and the
// Dockerfile without a Docker engine: they parse, and every SAMVERKAN_
// variable they set is one the binary reads.
func TestContainerFiles(t *testing.T) {
	raw, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Image       string            `json:"image"`
			Environment map[string]string `json:"environment"`
			DependsOn   map[string]struct {
				Condition string `json:"condition"`
			} `json:"depends_on"`
			Healthcheck *struct{ Test []string }     `json:"healthcheck"`
			Build       *struct{ Dockerfile string } `json:"build"`
		} `json:"services"`
	}
	if err := yaml.Unmarshal(raw, &compose); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	db, api := compose.Services["db"], compose.Services["api"]
	if !strings.HasPrefix(db.Image, "postgres:15") || db.Healthcheck == nil {
		t.Errorf("db service: %+v", db)
	}
	if api.Build == nil || api.Build.Dockerfile != "deploy/Dockerfile" || api.DependsOn["db"].Condition != "service_healthy" {
		t.Errorf("api service: %+v", api)
	}
	if !strings.Contains(api.Environment["DATABASE_URL"], "@db:5432/") {
		t.Errorf("api DATABASE_URL: %q", api.Environment["DATABASE_URL"])
	}

	docker, err := os.ReadFile("../../deploy/Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	config, err := os.ReadFile("../../pkg/platform/config/config.go")
	if err != nil {
		t.Fatal(err)
	}
	vars := regexp.MustCompile(`SAMVERKAN_[A-Z_]+`)
	for _, v := range append(vars.FindAllString(string(raw), -1), vars.FindAllString(string(docker), -1)...) {
		if !strings.Contains(string(config), `"`+v+`"`) {
			t.Errorf("%s is set for the container but never read", v)
		}
	}
	if !regexp.MustCompile(`(?m)^USER 65532`).Match(docker) || !strings.Contains(string(docker), `CMD ["serve"]`) {
		t.Error("the image must run serve as a non-root user")
	}
}
