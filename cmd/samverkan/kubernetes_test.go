package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"
)

// TestKubernetesManifests decodes every manifest in deploy/kubernetes
// strictly into the upstream Kubernetes API types (an unknown or misspelt
// field fails), which is what can be checked without a cluster or the
// schema downloads, and checks what the replicas rely on: probes on
// /readyz and /healthz, several replicas kept through disruptions, a
// PostgreSQL cluster with a replica, and secrets for the key and database.
func TestKubernetesManifests(t *testing.T) {
	dir := "../../deploy/kubernetes"
	var kust struct {
		Resources []string `json:"resources"`
	}
	raw, err := os.ReadFile(filepath.Join(dir, "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, &kust); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	for _, f := range files {
		if b := filepath.Base(f); b != "kustomization.yaml" && !slices.Contains(kust.Resources, b) {
			t.Errorf("%s is not listed in kustomization.yaml", b)
		}
	}
	strict := func(name string, into any) {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.UnmarshalStrict(b, into); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	var dep appsv1.Deployment
	strict("deployment.yaml", &dep)
	var svc corev1.Service
	strict("service.yaml", &svc)
	var pdb policyv1.PodDisruptionBudget
	strict("pdb.yaml", &pdb)
	var hpa autoscalingv2.HorizontalPodAutoscaler
	strict("hpa.yaml", &hpa)
	var secret corev1.Secret
	strict("secret.yaml", &secret)
	var ns corev1.Namespace
	strict("namespace.yaml", &ns)

	if dep.Kind != "Deployment" || dep.Spec.Replicas == nil || *dep.Spec.Replicas < 2 {
		t.Errorf("deployment: want several replicas, got %+v", dep.Spec.Replicas)
	}
	c := dep.Spec.Template.Spec.Containers[0]
	if c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet.Path != "/readyz" || c.LivenessProbe == nil || c.LivenessProbe.HTTPGet.Path != "/healthz" {
		t.Errorf("probes: readiness %+v, liveness %+v", c.ReadinessProbe, c.LivenessProbe)
	}
	read, err := os.ReadFile("../../pkg/platform/config/config.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range c.Env {
		if e.Name != "GOMEMLIMIT" && e.Name != "DATABASE_URL" && !strings.Contains(string(read), `"`+e.Name+`"`) {
			t.Errorf("the deployment sets %s, which samverkan does not read", e.Name)
		}
		if e.Name == "DATABASE_URL" && (e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil) {
			t.Errorf("DATABASE_URL must come from a secret")
		}
	}
	mounted := false
	for _, v := range dep.Spec.Template.Spec.Volumes {
		mounted = mounted || (v.Secret != nil && v.Secret.SecretName == secret.Name)
	}
	if !mounted {
		t.Errorf("the JWT key secret %q is not mounted", secret.Name)
	}
	if pdb.Spec.MinAvailable == nil || pdb.Spec.MinAvailable.IntValue() < 1 || pdb.Spec.MinAvailable.IntValue() >= int(*dep.Spec.Replicas) {
		t.Errorf("disruption budget %+v against %d replicas", pdb.Spec.MinAvailable, *dep.Spec.Replicas)
	}
	if hpa.Spec.ScaleTargetRef.Name != dep.Name || hpa.Spec.MinReplicas == nil || *hpa.Spec.MinReplicas < *dep.Spec.Replicas || hpa.Spec.MaxReplicas <= *hpa.Spec.MinReplicas {
		t.Errorf("autoscaler: %+v", hpa.Spec)
	}

	// The CloudNativePG Cluster is a custom resource; its Go types would pull
	// in the operator, so its essentials are checked by hand.
	var pg struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Metadata   struct{ Name string }
		Spec       struct {
			Instances int `json:"instances"`
			Bootstrap struct {
				Initdb struct{ Database, Owner string } `json:"initdb"`
			} `json:"bootstrap"`
			Storage struct{ Size string } `json:"storage"`
		} `json:"spec"`
	}
	b, _ := os.ReadFile(filepath.Join(dir, "postgres.yaml"))
	if err := yaml.Unmarshal(b, &pg); err != nil {
		t.Fatal(err)
	}
	if pg.APIVersion != "postgresql.cnpg.io/v1" || pg.Kind != "Cluster" || pg.Spec.Instances < 2 || pg.Spec.Storage.Size == "" {
		t.Errorf("PostgreSQL cluster: %+v", pg)
	}
	if ref := c.Env[0].ValueFrom.SecretKeyRef; c.Env[0].Name != "DATABASE_URL" || ref.Name != pg.Metadata.Name+"-app" || !strings.EqualFold(ref.Key, "uri") {
		t.Errorf("DATABASE_URL should come from the operator's secret %s-app/uri", pg.Metadata.Name)
	}
}
