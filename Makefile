# Samverkan — every target a developer needs. `make help` lists them.
SHELL := /bin/bash
GO ?= go
BIN := bin/samverkan
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
FUZZTIME ?= 3s
SCALE ?= nation
BENCHTIME ?= 10s

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

.PHONY: run
run: build web ## start the API with its own PostgreSQL and the demo data on http://127.0.0.1:8080
	@echo "Samverkan on http://127.0.0.1:8080 (web app) — API docs: http://127.0.0.1:8080/api/docs"
	@echo "Demo sign-ins (password samverkan-demo): admin@, redaktor@, vastra@, lasare@, friskvard@demo.samverkan.se"
	SAMVERKAN_DEMO=1 ./$(BIN) serve

.PHONY: build
build: ## build the samverkan binary into bin/
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/samverkan

.PHONY: test
test: vet spec-check ## vet, check the spec, run every test with -race, fuzz briefly, then the web app's tests
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
spec: frontend/node_modules/.package-lock.json ## regenerate the OpenAPI contract in api/ and the web app's API types
	$(GO) run ./api/gen
	cd frontend && npm run types

.PHONY: spec-check
spec-check: ## fail when api/ differs from what the annotations generate
	$(GO) run ./api/gen -check

# Each fuzz target as package:Target.
FUZZ_TARGETS := ./pkg/organisations:FuzzParseOrgNumber ./pkg/platform/listing:FuzzParse ./pkg/platform/web:FuzzDecode \
	./pkg/app:FuzzRequestBodies ./pkg/imports:FuzzImport ./pkg/imports:FuzzReadTable

.PHONY: bench
bench: ## measure Samverkan beside pgbench, minimal Echo servers and pREST on generated data (SCALE=city|region|nation); results in bench/results/
	$(GO) run ./bench run -scale $(SCALE) -duration $(BENCHTIME)

.PHONY: fuzz
fuzz: ## run each fuzz target for FUZZTIME (make fuzz FUZZTIME=5m for longer)
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$name ($$pkg) for $(FUZZTIME)"; \
		$(GO) test -run='^$$' -fuzz="^$$name$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
	done

RELIABILITY_FUZZTIME ?= 1m

.PHONY: reliability
reliability: ## the long runs: the fault tests repeated (restarts, kill -9 rounds) and every fuzz target for RELIABILITY_FUZZTIME
	set -o pipefail; SAMVERKAN_RELIABILITY=long $(GO) test -count=1 -timeout 30m -v \
		-run '^(TestTheDatabaseRestartsUnderLoad|TestKillNineDuringWrites|TestSIGTERMUnderLoad|TestAnExhaustedPoolAnswers503)$$' ./cmd/samverkan \
		| grep -E '^(=== RUN|--- |ok|FAIL|PASS)|round [0-9]+:|pool of'
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(RELIABILITY_FUZZTIME)

.PHONY: lint
lint: vet ## gofmt and staticcheck
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt: run gofmt -w on these"; exit 1)
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

.PHONY: migrate-status
migrate-status: build ## show which migrations are applied
	./$(BIN) migrate status

.PHONY: clean
clean: ## remove build output (not the data in var/)
	rm -rf bin frontend/dist frontend/screenshots
