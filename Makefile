# coachmail — every target installs what it needs on a fresh machine that has
# Go, Node.js/npm and Java. Run `make help` for the list.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO          ?= go
FUNCTIONS   := inbound dispatch feedback unsubscribe
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
FUZZTIME    ?= 5s
GOTEST      := $(GO) test -race -shuffle=on -count=1

# jsii wants the Node major version here to stay quiet about Node 20.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export CDK_DISABLE_VERSION_CHECK := 1
export CDK_DISABLE_CLI_TELEMETRY := true
export AWS_EC2_METADATA_DISABLED := true
export CDK_DEFAULT_REGION ?= eu-west-1
export AWS_REGION ?= eu-west-1

.PHONY: help
help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

.PHONY: run
run: ## run the whole workflow on this machine (SMTP 127.0.0.1:2525, outbox http://127.0.0.1:8025)
	$(GO) run ./cmd/coachmail run

.PHONY: demo
demo: ## play one whole coaching cycle against the local mode and print what each person received
	$(GO) run ./cmd/coachmail demo

.PHONY: build
build: $(addprefix build/,$(addsuffix .zip,$(FUNCTIONS))) ## build each Lambda as a linux/arm64 bootstrap zip under build/

build/%.zip: FORCE
	@mkdir -p build/$*
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build -tags lambda.norpc -trimpath -ldflags='-s -w -buildid=' -o build/$*/bootstrap ./functions/$*
	$(GO) run ./tools/lambdazip -o $@ build/$*/bootstrap
	@ls -l $@ | awk '{printf "%s %.1f MB\n", $$NF, $$5/1048576}'

.PHONY: test
test: chromium ## run every test: Go suites (DynamoDB Local + in-process server), fuzz smoke, infra assertions
	$(GO) vet ./...
	tools/dynamodb-local/run.sh $(GOTEST) ./...
	$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZTIME)
	$(MAKE) --no-print-directory test-infra

.PHONY: chromium
chromium: ## Debian's Chromium for the outbox page's browser test (installed when missing, as root)
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's chromium for the browser test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium not found (and not root to install it): the outbox browser test will say it is skipped"; fi; }

.PHONY: test-infra
test-infra: ## CDK assertions, cdk-nag and template validation (infra/ is its own module)
	cd infra && $(GO) test -count=1 -shuffle=on ./...

.PHONY: fuzz
fuzz: ## run every fuzz target for FUZZTIME each (default 5s; CI uses more)
	@$(GO) run ./tools/fuzzall -fuzztime $(FUZZTIME) ./...

.PHONY: bench
bench: build ## benchmarks and side-by-side comparisons, printed
	@ruby -e 'require "email_reply_trimmer"' 2>/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ruby ruby-email-reply-trimmer; }
	@echo "== mail understanding: ours beside the peer parsers, same corpus, one run"
	$(GO) run ./tools/peerbench
	@echo "== Go benchmarks (the store, inbound and dispatch ones on DynamoDB Local)"
	tools/dynamodb-local/run.sh $(GO) test -run '^$$' -bench . -benchmem ./...
	@echo "== dispatch of 10,000 due emails into the local SES-compatible outbox"
	tools/dynamodb-local/run.sh $(GO) test -run '^$$' -bench BenchmarkDispatch -benchtime 10000x ./internal/cycle
	@echo "== Lambda cold init (exec to first Runtime API call) and zip sizes"
	$(GO) run ./tools/coldstart -n 20

.PHONY: loadtest
loadtest: ## 100 leaders x 100 sessions through the local mode on loopback (DynamoDB Local): 10,000 dispatches and 10,000 SMTP replies, timed and checked
	tools/dynamodb-local/run.sh $(GO) run ./tools/loadtest $(LOADTEST_ARGS)

.PHONY: check
check: ## gofmt, go vet and staticcheck, for both modules
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	cd infra && $(GO) vet ./... && $(GO) run $(STATICCHECK) ./...

infra/node_modules/.bin/cdk: infra/package-lock.json
	npm ci --prefix infra --no-audit --no-fund
	@touch $@

.PHONY: synth
synth: build ## synthesise the CloudFormation template offline into infra/cdk.out
	cd infra && COACHMAIL_DOMAIN=$${COACHMAIL_DOMAIN:-example.com} $(GO) run .
	@ls -l infra/cdk.out/*.template.json

.PHONY: deploy
deploy: build infra/node_modules/.bin/cdk ## deploy to the AWS account of your credentials (see README)
	cd infra && npx --no-install cdk deploy --require-approval broadening $(CDK_ARGS)

.PHONY: destroy
destroy: build infra/node_modules/.bin/cdk ## remove the stack (the table and bucket are retained in prod)
	cd infra && npx --no-install cdk destroy $(CDK_ARGS)

.PHONY: clean
clean: ## remove build outputs and local state
	rm -rf build infra/cdk.out .coachmail

.PHONY: FORCE
FORCE:
