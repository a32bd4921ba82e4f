// Command gen generates Samverkan's OpenAPI 3 contract from the swag
// annotations of the handlers: swag parses them into Swagger 2.0, and
// kin-openapi converts that to OpenAPI 3.0. With -check it writes nothing and
// fails when the committed files differ from what the annotations give.
//
//	go run ./api/gen          # write api/openapi.json and api/openapi.yaml
//	go run ./api/gen -check   # fail on drift (part of make test)
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/swaggo/swag"
	"sigs.k8s.io/yaml"
)

func main() {
	out := flag.String("out", "api", "folder to write openapi.json and openapi.yaml to")
	check := flag.Bool("check", false, "compare with the files in -out instead of writing them")
	flag.Parse()
	if err := run(*out, *check); err != nil {
		fmt.Fprintln(os.Stderr, "spec:", err)
		os.Exit(1)
	}
}

func run(out string, check bool) error {
	p := swag.New(swag.ParseUsingGoList(true), swag.SetStrict(true), swag.SetDebugger(log.New(io.Discard, "", 0)))
	p.ParseInternal = true
	if err := p.ParseAPIMultiSearchDir([]string{"./pkg"}, "app/app.go", 100); err != nil {
		return fmt.Errorf("parse annotations: %w", err)
	}
	v2JSON, err := json.Marshal(p.GetSwagger())
	if err != nil {
		return err
	}
	var v2 openapi2.T
	if err := json.Unmarshal(v2JSON, &v2); err != nil {
		return err
	}
	v3, err := openapi2conv.ToV3(&v2)
	if err != nil {
		return fmt.Errorf("convert to OpenAPI 3: %w", err)
	}
	useOpenAPI3Security(v3)
	if err := complete(v3); err != nil {
		return err
	}
	if err := v3.Validate(context.Background()); err != nil {
		return fmt.Errorf("the generated contract is not valid OpenAPI 3: %w", err)
	}
	jsonOut, err := json.MarshalIndent(v3, "", "  ")
	if err != nil {
		return err
	}
	jsonOut = append(jsonOut, '\n')
	yamlOut, err := yaml.JSONToYAML(jsonOut)
	if err != nil {
		return err
	}
	files := map[string][]byte{"openapi.json": jsonOut, "openapi.yaml": yamlOut}
	for name, want := range files {
		path := filepath.Join(out, name)
		if check {
			have, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if !bytes.Equal(have, want) {
				return fmt.Errorf("%s differs from what the annotations generate: run make spec and commit the result", path)
			}
			continue
		}
		if err := os.WriteFile(path, want, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// useOpenAPI3Security replaces Swagger 2's API-key stand-in for bearer tokens
// with OpenAPI 3's http bearer scheme, and offers the password grant as an
// alternative, so the documentation page can sign in by itself.
func useOpenAPI3Security(doc *openapi3.T) {
	doc.Components.SecuritySchemes = openapi3.SecuritySchemes{
		"bearer": &openapi3.SecuritySchemeRef{Value: &openapi3.SecurityScheme{
			Type: "http", Scheme: "bearer", BearerFormat: "JWT",
			Description: "An access token from POST /auth/token: a JWT signed with Ed25519 (EdDSA), living at most 15 minutes, verified as RFC8725 advises (one algorithm, issuer, audience and expiry checked).",
		}},
		"password": &openapi3.SecuritySchemeRef{Value: &openapi3.SecurityScheme{
			Type:        "oauth2",
			Description: "Sign in with e-mail and password (the demo: admin@demo.samverkan.se / samverkan-demo). The access token is a JWT verified as RFC8725 advises; refresh tokens rotate.",
			Flows: &openapi3.OAuthFlows{Password: &openapi3.OAuthFlow{
				TokenURL: "/api/v1/auth/token", RefreshURL: "/api/v1/auth/token", Scopes: map[string]string{},
			}},
		}},
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.Security == nil || len(*op.Security) == 0 {
				op.Security = &openapi3.SecurityRequirements{} // public, and saying so (security: [])
				continue
			}
			op.Security = &openapi3.SecurityRequirements{{"bearer": []string{}}, {"password": []string{}}}
		}
	}
}
