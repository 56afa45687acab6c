# tabby's build. `make` (or `make help`) lists the targets; CI runs `make test`.
#
# The Kubernetes API server and etcd that tests run against are built from Go
# modules in tools/ into bin/ the first time a target needs them, then kept:
# they are never rebuilt while present. After bumping a version in
# tools/apiserver or tools/etcd, run `make distclean` (or remove the binary).

SHELL := /usr/bin/env bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

GO     ?= go
MODULE := github.com/tabbynet/tabby
BIN    := $(CURDIR)/bin

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
LDFLAGS := -X $(MODULE)/internal/version.Version=$(VERSION) \
           -X $(MODULE)/internal/version.Commit=$(COMMIT)

# Stamp kube-apiserver with the Kubernetes version it is built from, so
# /version and discovery report it instead of v0.0.0-master.
KUBE_VERSION := $(shell awk '$$1 == "k8s.io/kubernetes" { print $$2 }' tools/apiserver/go.mod)
KUBE_MINOR   := $(word 2,$(subst ., ,$(KUBE_VERSION)))
KUBE_LDFLAGS := -X k8s.io/component-base/version.gitVersion=$(KUBE_VERSION) \
                -X k8s.io/component-base/version.gitMajor=1 \
                -X k8s.io/component-base/version.gitMinor=$(KUBE_MINOR) \
                -X k8s.io/component-base/version.gitTreeState=clean

# controller-gen is tools/codegen: controller-tools' generators plus tabby's
# int-or-string types. It is cheap to build, so it follows its sources.
CONTROLLER_GEN := $(BIN)/controller-gen
CODEGEN_SRCS   := $(wildcard tools/codegen/*.go) tools/codegen/go.mod tools/codegen/go.sum
CRD_DIR        := config/crd/bases
GENERATED      := ':(glob)api/**/zz_generated.*.go' $(CRD_DIR)

# Seconds (or a Go duration) each fuzz target runs for in `make test`;
# FUZZTIME=0 skips the fuzz pass.
FUZZTIME  ?= 5s
TESTFLAGS ?=
IMAGE     ?= tabby:$(VERSION)

# Tool builds use their own go.mod, never a go.work that may be lying around.
TOOLENV := GOWORK=off

##@ General

.PHONY: help
help: ## Show this help
	@awk 'BEGIN { FS = ":.*## "; printf "Usage: make \033[36m<target>\033[0m\n" } \
		/^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) } \
		/^[a-zA-Z0-9_\/.-]+:.*## / { printf "  \033[36m%-20s\033[0m %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

##@ Development

.PHONY: build
build: ## Build bin/tabby, stamped with VERSION and COMMIT
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN)/tabby ./cmd/tabby

.PHONY: generate
generate: $(CONTROLLER_GEN) ## Generate deepcopy methods and CRD manifests from api/
	cd $(CURDIR) && $(CONTROLLER_GEN) object paths=./api/...
	rm -f $(CRD_DIR)/*_*.yaml
	cd $(CURDIR) && $(CONTROLLER_GEN) crd:allowDangerousTypes=true paths=./api/... output:crd:artifacts:config=$(CRD_DIR)
	@# A Calico Node is stored on the Kubernetes Node of its name, and an
	@# Inventory is only ever read from a file: neither has a CRD.
	rm -f $(CRD_DIR)/projectcalico.org_nodes.yaml $(CRD_DIR)/tabby.dev_inventories.yaml

.PHONY: verify
verify: generate ## Check formatting, vet, go.mod tidiness and that generated files are committed
	@unformatted="$$(find . -name '*.go' -not -path './bin/*' -not -path '*/testdata/*' -print0 | xargs -0 gofmt -l)"; \
	if [ -n "$$unformatted" ]; then echo "gofmt: these files need formatting:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) mod tidy -diff
	@for m in tools/*/; do echo "go mod tidy -diff ($$m)"; (cd $$m && $(TOOLENV) $(GO) mod tidy -diff); done
	@if [ -n "$$(git status --porcelain --untracked-files=all -- $(GENERATED))" ]; then \
		echo "generated files are stale or not committed; run 'make generate' and commit:"; \
		git status --short --untracked-files=all -- $(GENERATED); \
		git --no-pager diff --stat -- $(GENERATED); \
		exit 1; \
	fi

.PHONY: test
test: bin/kube-apiserver bin/etcd ## Run all tests with -race against a real API server, then fuzz each target for FUZZTIME
	KUBEBUILDER_ASSETS=$(BIN) $(GO) test -race $(TESTFLAGS) ./...
	@$(MAKE) fuzz

.PHONY: fuzz
fuzz: ## Run every Fuzz target for FUZZTIME (0 skips)
	@if [ "$(FUZZTIME)" = "0" ]; then echo "fuzz: skipped (FUZZTIME=0)"; exit 0; fi; \
	$(GO) test -run '^$$' -list '^Fuzz' ./... | \
		awk '/^Fuzz/ { names[n++] = $$1; next } /^ok/ { for (i = 0; i < n; i++) print $$2, names[i]; n = 0 }' | \
	while read -r pkg name; do \
		echo "fuzz: $$pkg $$name ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) "$$pkg"; \
	done

.PHONY: demo
demo: ## Render the example repository's prod cluster
	$(GO) run ./cmd/tabby render repos-example/clusters/prod

##@ Test binaries (built once, then cached in bin/)

bin/kube-apiserver: ## Build kube-apiserver from tools/apiserver (about 5 minutes on 2 cores)
	@mkdir -p $(@D)
	cd tools/apiserver && $(TOOLENV) $(GO) build -trimpath -ldflags "$(KUBE_LDFLAGS)" -o $(CURDIR)/$@.tmp .
	mv $@.tmp $@

bin/etcd: ## Build etcd from tools/etcd
	@mkdir -p $(@D)
	cd tools/etcd && $(TOOLENV) $(GO) build -trimpath -o $(CURDIR)/$@.tmp .
	mv $@.tmp $@

$(CONTROLLER_GEN): $(CODEGEN_SRCS)
	@mkdir -p $(@D)
	cd tools/codegen && $(TOOLENV) $(GO) build -trimpath -o $@ .

##@ Packaging

.PHONY: docker-build
docker-build: ## Build the container image IMAGE
	docker build --build-arg VERSION=$(VERSION) --build-arg COMMIT=$(COMMIT) -t $(IMAGE) .

.PHONY: clean
clean: ## Remove bin/tabby, controller-gen and coverage files (keeps the test binaries)
	rm -f $(BIN)/tabby $(CONTROLLER_GEN) cover.out coverage.out *.coverprofile

.PHONY: distclean
distclean: clean ## Also remove the cached kube-apiserver and etcd
	rm -rf $(BIN)
