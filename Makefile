# Samverkan — every target a developer needs. `make help` lists them.
SHELL := /bin/bash
GO ?= go
BIN := bin/samverkan
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
FUZZTIME ?= 3s
SCALE ?= nation
BENCHTIME ?= 10s
ROUNDS ?= 5

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-17s %s\n", $$1, $$2}'

.PHONY: run
run: build web ## start the API with its own PostgreSQL and the demo data on http://127.0.0.1:8080
	@echo "Samverkan on http://127.0.0.1:8080 (web app) — API docs: http://127.0.0.1:8080/api/docs"
	@echo "Demo sign-ins (password samverkan-demo): admin@, redaktor@, vastra@, lasare@, friskvard@demo.samverkan.se (Göteborg);"
	@echo "  admin.boras@, admin.malmo@, admin.skane@ (and redaktor.…@) for Borås, Malmö and Region Skåne; operator@demo.samverkan.se"
	SAMVERKAN_DEMO=1 ./$(BIN) serve

.PHONY: build
build: ## build the samverkan binary into bin/
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/samverkan

.PHONY: test
test: lint spec-check spec-lint ## gofmt, vet, staticcheck, check and lint the spec, run every test with -race, fuzz briefly, then the web app's tests
	$(GO) test -race -count=1 ./...
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZTIME)
	@$(MAKE) --no-print-directory web-test

# The web app (frontend/): npm ci when the lock file changed, then Vite.
frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund

.PHONY: web
web: frontend/node_modules/.package-lock.json ## build the web app into frontend/dist (served at / by samverkan serve)
	cd frontend && npm run build

.PHONY: web-test
web-test: build web ## web app: API types in step with the spec, ESLint, Vitest, then Chromium against a real server
	cd frontend && npm run types:check && npm run lint && npm test && npm run size && npm run e2e

.PHONY: vet
vet: ## go vet
	$(GO) vet ./...

.PHONY: spec
spec: frontend/node_modules/.package-lock.json ## regenerate the OpenAPI contract in api/, the Go client in api/client and the web app's API types
	$(GO) run ./api/gen
	$(GO) generate ./api/client
	cd frontend && npm run types

# The Go client is generated into a temporary folder with oapi-codegen (a tool
# in go.mod, so the module proxy is all it needs) and compared with the
# committed api/client/client.gen.go; the work tree is left as it is.
.PHONY: spec-check
spec-check: ## fail when api/ or the Go client in api/client differs from what the annotations generate
	$(GO) run ./api/gen -check
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
		$(GO) build -o "$$tmp/oapi-codegen" github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen && \
		(cd "$$tmp" && ./oapi-codegen -config "$(CURDIR)/api/client/oapi-codegen.yaml" "$(CURDIR)/api/openapi.json") && \
		{ cmp -s "$$tmp/client.gen.go" api/client/client.gen.go || \
		{ echo "api/client/client.gen.go differs from what oapi-codegen generates from api/openapi.json: run make spec and commit the result"; exit 1; }; }

# Spectral (api/lint/): npm ci when the lock file changed, then one run of
# api/lint/.spectral.yaml (spectral:oas, every rule, and the OWASP ruleset)
# into api/lint/findings.json. check.mjs fails on oas warnings and OWASP errors.
api/lint/node_modules/.package-lock.json: api/lint/package-lock.json
	cd api/lint && npm ci --no-audit --no-fund

SPECTRAL_FINDINGS = cd api/lint && { node_modules/.bin/spectral lint -q -r .spectral.yaml -f json -o findings.json ../openapi.json || [ $$? -eq 1 ]; }

.PHONY: spec-lint
spec-lint: api/lint/node_modules/.package-lock.json ## Spectral on the spec: no warnings from spectral:oas, no errors from the OWASP ruleset
	$(SPECTRAL_FINDINGS) && node check.mjs findings.json

.PHONY: spec-lint-report
spec-lint-report: api/lint/node_modules/.package-lock.json ## every Spectral finding on the spec, counted per rule (oas, OWASP) with examples
	$(SPECTRAL_FINDINGS) && node check.mjs findings.json --report

# Each fuzz target as package:Target.
FUZZ_TARGETS := ./pkg/organisations:FuzzParseOrgNumber ./pkg/platform/listing:FuzzParse ./pkg/platform/web:FuzzDecode \
	./pkg/app:FuzzRequestBodies ./pkg/imports:FuzzImport ./pkg/imports:FuzzReadTable

.PHONY: bench
bench: ## measure Samverkan beside pgbench, minimal Echo servers and pREST, and with row-level security on and off (ROUNDS), on generated data (SCALE=city|region|nation); results in bench/results/
	$(GO) run ./bench run -scale $(SCALE) -duration $(BENCHTIME) -rounds $(ROUNDS)

.PHONY: fuzz
fuzz: ## run each fuzz target for FUZZTIME (make fuzz FUZZTIME=5m for longer)
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$name ($$pkg) for $(FUZZTIME)"; \
		$(GO) test -run='^$$' -fuzz="^$$name$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
	done

RELIABILITY_FUZZTIME ?= 1m

.PHONY: reliability
reliability: ## the long runs: the fault tests repeated (restarts, kill -9 rounds), the contract fuzzer at length and every fuzz target for RELIABILITY_FUZZTIME
	set -o pipefail; SAMVERKAN_RELIABILITY=long $(GO) test -count=1 -timeout 30m -v \
		-run '^(TestTheDatabaseRestartsUnderLoad|TestKillNineDuringWrites|TestSIGTERMUnderLoad|TestAnExhaustedPoolAnswers503)$$' ./cmd/samverkan \
		| grep -E '^(=== RUN|--- |ok|FAIL|PASS)|round [0-9]+:|pool of'
	SAMVERKAN_CONTRACT_FUZZ=long $(GO) test -count=1 -timeout 30m -v -run '^TestContractFuzz$$' ./pkg/app
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(RELIABILITY_FUZZTIME)

.PHONY: lint
# staticcheck is a tool dependency in go.mod (go get -tool ...@version), pinned
# in go.sum. govulncheck is left out: it needs vuln.go.dev, which CI cannot reach.
lint: vet ## gofmt, vet and staticcheck
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt: run gofmt -w on these"; exit 1)
	$(GO) tool staticcheck ./...

.PHONY: migrate-status
migrate-status: build ## show which migrations are applied
	./$(BIN) migrate status

.PHONY: clean
clean: ## remove build output (not the data in var/)
	rm -rf bin frontend/dist frontend/screenshots
