// Package api holds Samverkan's API contract: the OpenAPI 3 document
// generated from the handlers' swag annotations (`make spec`), served at
// /api/openapi.json and /api/openapi.yaml with interactive documentation at
// /api/docs.
package api

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
	echoSwagger "github.com/swaggo/echo-swagger"
)

//go:embed openapi.json
var specJSON []byte

//go:embed openapi.yaml
var specYAML []byte

// JSON is the OpenAPI document as JSON.
func JSON() []byte { return specJSON }

// Register adds the contract and its documentation page through add.
func Register(add func(method, path string, h echo.HandlerFunc)) {
	add(http.MethodGet, "/api/openapi.json", func(c echo.Context) error {
		return c.Blob(http.StatusOK, "application/json", specJSON)
	})
	add(http.MethodGet, "/api/openapi.yaml", func(c echo.Context) error {
		return c.Blob(http.StatusOK, "application/yaml", specYAML)
	})
	add(http.MethodGet, "/api/docs", func(c echo.Context) error {
		return c.Redirect(http.StatusFound, "/api/docs/index.html")
	})
	add(http.MethodGet, "/api/docs/*", echoSwagger.EchoWrapHandler(
		func(c *echoSwagger.Config) { c.URLs = []string{"/api/openapi.json"} }, // not the swag v1 doc.json

		echoSwagger.DocExpansion("list"),
		echoSwagger.PersistAuthorization(true),
	))
}
