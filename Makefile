# Circle — `make run` to use it, `make test` to check it.
#
# Both install what is missing first (Debian/Ubuntu: apt packages, with sudo
# when not root; npm packages from package-lock.json). On macOS and Windows
# they print what to install instead.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
UNAME := $(shell uname -s)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin

# What Tauri needs to build on Linux, and what the end-to-end suite needs to run.
APT_BUILD := libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev \
             libxdo-dev libssl-dev build-essential pkg-config file
# The PDF tests read exports back with pdftotext/pdftoppm and print names in
# Latin, Vietnamese, Arabic, Hebrew and Chinese with the Noto fonts.
APT_E2E := xvfb webkit2gtk-driver poppler-utils fonts-noto-core fonts-noto-cjk strace
TAURI_DRIVER_VERSION := 2.1.0

# One package selection and one feature set for clippy, build, tests, the
# end-to-end run and `make run`: cargo unifies dependency features per
# selection, so any other flags here would compile the workspace twice.
# (The e2e feature compiles in test-only launch hooks, each inert unless its
# CIRCLE_E2E_* variable is set; bench compiles in circle_core::bench, the
# benchmark's plaintext copy, which nothing in the app calls. Release builds
# and installers leave both out.)
CARGO_FLAGS := --locked --workspace --features circle/e2e,circle-core/bench
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
E2E_TIMEOUT := 1200

.PHONY: run demo test stress bench bench-window bundle package-check bindings screenshots export-samples ui ui-deps deps-build deps-e2e

run: deps-build ui
	$(CARGO) build $(CARGO_FLAGS) --bin circle
	$(TARGET_DIR)/debug/circle

# A practice of invented people to try Circle on: the small demo (seven
# logins, 40 clients, four groups, three months of sessions and notes) in
# DEMO_VAULT (default demo-vault/, git-ignored), then its logins and how to
# open it. Run again to make it afresh; a folder holding a vault that is
# not a demo is never touched.
DEMO_VAULT ?= $(CURDIR)/demo-vault
demo: deps-build
	$(CARGO) build $(CARGO_FLAGS) --bin circle-admin
	@if [ -e "$(DEMO_VAULT)/keyring.json" ]; then \
	  if [ -f "$(DEMO_VAULT)/demo-practice" ]; then rm -rf "$(DEMO_VAULT)"; \
	  else echo "$(DEMO_VAULT) holds a vault that is not a demo: set DEMO_VAULT=another/folder"; exit 2; fi; \
	fi
	$(TARGET_DIR)/debug/circle-admin demo --scale small --vault "$(DEMO_VAULT)"

test: deps-build deps-e2e ui-deps
	@echo "== formatting"
	$(CARGO) fmt --all -- --check
	scripts/actionlint.sh
	@echo "== UI: type check, unit tests, build"
	cd ui && npm run --silent check
	cd ui && npm test --silent
	cd ui && npm run --silent build
	@echo "== Rust: clippy"
	$(CARGO) clippy $(CARGO_FLAGS) --all-targets -- -D warnings
	@echo "== Rust: build (app binary for end-to-end, all test targets)"
	$(CARGO) build $(CARGO_FLAGS) --all-targets
	@echo "== Rust: unit and integration tests (end-to-end ones are marked ignored here; the reliability suites run next)"
	$(CARGO) test $(CARGO_FLAGS) -- --skip crash:: --skip two_writers:: --skip fuzz:: --skip full_disk:: \
	  --skip every_role_gets_exactly_its_cells --skip idle_lock_during_save
	@echo "== Reliability suites at their make-test sizes (issue 16), printing their figures and the role table"
	$(CARGO) test $(CARGO_FLAGS) -p circle-core --test it -- \
	  crash:: two_writers:: fuzz:: full_disk:: --nocapture 2>&1 | tee $(SUITES_LOG)
	$(CARGO) test $(CARGO_FLAGS) --test shell -- every_role_gets_exactly_its_cells idle_lock_during_save --nocapture 2>&1 | tee -a $(SUITES_LOG)
	@echo "== reliability summary (every suite above passed: a failure stops make before this table)"
	@$(call summary,$(SUITES_LOG))
	@echo "== Bench smoke run: every screen's commands on the small demo, 3 runs each (figures mean nothing here)"
	$(TARGET_DIR)/debug/examples/screen_bench --smoke
	@echo "== End to end: the real Circle window under WebDriver"
	@# One more run only if the first fails: a WebDriver session has been seen
	@# to die mid-test (InvalidSessionId) about once in five full runs; a real
	@# failure fails both times. Both runs' output stays in the log.
	PATH="$(CARGO_BIN):$$PATH" timeout --kill-after=30 $(E2E_TIMEOUT) \
	  $(CARGO) test $(CARGO_FLAGS) --test e2e -- --ignored --test-threads=1 --nocapture \
	|| { echo "== End to end failed once; running it again to tell a dropped window from a real failure"; \
	  PATH="$(CARGO_BIN):$$PATH" timeout --kill-after=30 $(E2E_TIMEOUT) \
	  $(CARGO) test $(CARGO_FLAGS) --test e2e -- --ignored --test-threads=1 --nocapture; }

# The long runs of the reliability suites (issue 16; `make test` runs each at
# its small size): 500 SIGKILL rounds, two writers at length, 20,000 fuzzed
# cases per command, the idle lock raced against autosave 500 times. The core
# suites run optimised (--release; the bench feature keeps the tests' pinned
# clock), or 20,000 cases take hours. Each suite prints its figures; the
# summary is those lines, gathered at the end.
STRESS_LOG := $(TARGET_DIR)/stress.log
SUITES_LOG := $(TARGET_DIR)/suites.log
# The suites' figures in log $(1), as one table (scripts/suite-summary.awk).
summary = awk -f scripts/suite-summary.awk $(1)
stress: deps-build
	$(CARGO) build $(CARGO_FLAGS) --all-targets
	CIRCLE_STRESS=1 $(CARGO) test --release $(CARGO_FLAGS) -p circle-core --test it -- \
	  crash:: two_writers:: fuzz:: full_disk:: --nocapture 2>&1 | tee $(STRESS_LOG)
	CIRCLE_IDLE_LOCK_ROUNDS=500 $(CARGO) test $(CARGO_FLAGS) --test shell -- \
	  idle_lock_during_save --nocapture 2>&1 | tee -a $(STRESS_LOG)
	@echo "== stress summary (every suite above passed: a failure stops make before this table)"
	@$(call summary,$(STRESS_LOG))
	$(MAKE) --no-print-directory package-check

# Today, the week grid, the booking dialog, a note and a chart at 1200×800,
# 720×520 and 200 % zoom, written to ui/screenshots/ to be looked at and
# committed (the same e2e test runs in `make test` without keeping them).
screenshots: deps-build deps-e2e ui-deps ui
	$(CARGO) build $(CARGO_FLAGS) --all-targets
	CIRCLE_SCREENSHOTS="$(CURDIR)/ui/screenshots" PATH="$(CARGO_BIN):$$PATH" \
	  $(CARGO) test $(CARGO_FLAGS) --test e2e -- --ignored --test-threads=1 --nocapture screens::

# Page 1 of each kind of PDF, as the export tests make them, rendered to
# ui/screenshots/exports/ to be looked at and committed.
SAMPLES := $(TARGET_DIR)/export-samples
export-samples: deps-build deps-e2e
	rm -rf $(SAMPLES) && mkdir -p ui/screenshots/exports
	CIRCLE_KEEP_EXPORTS=$(SAMPLES) $(CARGO) test $(CARGO_FLAGS) -p circle-core --test it -- exports::
	@for pair in record:member-record part2:member-record-part2 packet:session-packet \
	  attendance:attendance day-sheet:day-sheet recovery:recovery-sheet accounting:disclosures; do \
	  file=$$(ls $(SAMPLES)/*-$${pair%%:*}.pdf | head -n 1); \
	  pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$$file" ui/screenshots/exports/$${pair##*:}; \
	  echo "ui/screenshots/exports/$${pair##*:}.png from $$file"; \
	done

# Regenerate ui/src/lib/api/bindings.ts from the Rust commands.
bindings:
	CIRCLE_WRITE_BINDINGS=1 $(CARGO) test $(CARGO_FLAGS) --lib bindings::

# Every screen's commands on a ten-year practice, encrypted against a
# plaintext copy of the same vault and against a one-year practice
# (p50/p99/max, ratios), unlock, vault size and the generator's throughput,
# with the window half (bench-window below: cold start and memory on the
# ten-year practice): a table and $(TARGET_DIR)/bench/report.json (release).
# The practices are generated once and cached under
# $(TARGET_DIR)/bench/v<generator version>/ (the first run takes about 20
# minutes more). Then what encryption costs on a raw workload, typesetting
# and backups.
bench:
	$(CARGO) build --locked --release -p circle-core --features bench --example screen_bench
	@# The practices first (cached), then the window on a copy of the
	@# ten-year one signed in as its owner, then the table with both halves.
	folder=$$($(TARGET_DIR)/release/examples/screen_bench --prepare | tail -n 1) \
	&& rm -rf $(TARGET_DIR)/bench/window-vault \
	&& cp -r "$$folder/vault" $(TARGET_DIR)/bench/window-vault \
	&& $(MAKE) --no-print-directory bench-window VAULT=$(TARGET_DIR)/bench/window-vault \
	  USER="$$(sed -n 1p "$$folder/owner-login")" PASSPHRASE="$$(sed -n 2p "$$folder/owner-login")"
	$(TARGET_DIR)/release/examples/screen_bench
	$(CARGO) run --locked -p circle-core --example vault_bench
	@# Typesetting is measured in release: unoptimised typst is ten times slower.
	$(CARGO) run --locked --release -p circle-core --example export_bench
	@# Backups at 3,000 clients and 300 signed notes: time, size, inspect,
	@# restore, and how long a clinician's autosave waits while one runs.
	$(CARGO) run --locked --release -p circle-core --example backup_bench

# The window half (issue 15), in the real window under Xvfb: cold start to
# the unlock screen (median of 5) and memory (PSS of Circle and its WebKit
# processes) on the week schedule of the practice in VAULT, signed in as
# USER with PASSPHRASE, against a blank Tauri window measured the same way.
# Writes $(TARGET_DIR)/bench/window.json. Release builds without the e2e
# feature: the app as shipped (WebDriver drives any Tauri app, see
# tests/examples/window_bench.rs).
#   make bench-window VAULT=dir USER=login PASSPHRASE='…'
BENCH_WINDOW_TIMEOUT := 600
bench-window: deps-build deps-e2e ui
	@# USER must come from this command line, not the login name in the environment.
	@[ -n "$(VAULT)" ] && [ -n "$(USER)" ] && [ -n "$(PASSPHRASE)" ] && [ "$(origin USER)" != environment ] \
	  || { echo "usage: make bench-window VAULT=dir USER=login PASSPHRASE='…'"; exit 2; }
	$(CARGO) build --locked --release -p circle --bin circle --example blank_window
	$(CARGO) build --locked --release -p circle-e2e --example window_bench
	PATH="$(CARGO_BIN):$$PATH" timeout --kill-after=30 $(BENCH_WINDOW_TIMEOUT) \
	  $(TARGET_DIR)/release/examples/window_bench \
	  --app $(TARGET_DIR)/release/circle --blank $(TARGET_DIR)/release/examples/blank_window \
	  --vault "$(VAULT)" --user "$(USER)" --passphrase "$(PASSPHRASE)" \
	  --out $(TARGET_DIR)/bench/window.json

# Installers for this OS in $(TARGET_DIR)/release/bundle/: .deb and .rpm on
# Linux, .app and .dmg on macOS, .msi and NSIS .exe on Windows (release.yml
# builds all three on a tag). No AppImage: its bundler downloads linuxdeploy
# and its plugins while it builds. A release build without the e2e and bench
# features: the app as shipped. The Tauri CLI runs in src-tauri/, where it
# finds tauri.conf.json. ui/ comes from the `ui` target below, rebuilt only
# when a source changed, so the build hook in tauri.conf.json (`npm run build`
# in ../ui, for release.yml and a plain `tauri build`) is blanked here: every
# new ui/dist makes cargo compile the app again (4 minutes here).
ifeq ($(UNAME),Linux)
BUNDLES := deb,rpm
else ifeq ($(UNAME),Darwin)
BUNDLES := app,dmg
else
BUNDLES := msi,nsis
endif
bundle: deps-build ui-deps ui
	cd src-tauri && ../ui/node_modules/.bin/tauri build --bundles $(BUNDLES) \
	  --config '{"build":{"beforeBuildCommand":""}}' -- --locked

# The installed-package check (issue 18; `make stress` runs it): builds the
# bundle, reads both packages (dependencies, desktop entry, icons, no e2e
# hooks), installs the .deb into this machine with apt-get, starts the
# installed Circle under Xvfb through WebDriver and sees its welcome screen,
# then removes the package even when a step failed (scripts/package-check.sh,
# tests/examples/installed_check.rs). Debian/Ubuntu, root or sudo.
APT_PACKAGE := rpm cpio desktop-file-utils
package-check: deps-build deps-e2e ui-deps
ifeq ($(UNAME),Linux)
	@missing=""; for p in $(APT_PACKAGE); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing package-check tools:$$missing"; \
	  $(SUDO) apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	$(MAKE) --no-print-directory bundle
	@# The WebDriver side is a test tool, not the app: built like make test's
	@# (debug, the same flags), so it reuses that build instead of compiling
	@# the e2e crate again in release.
	$(CARGO) build $(CARGO_FLAGS) --example installed_check
	PATH="$(CARGO_BIN):$$PATH" SUDO="$(SUDO)" scripts/package-check.sh $(TARGET_DIR)
else
	@echo "The installed-package check installs the .deb: it runs on Debian or Ubuntu."
endif

# The UI is rebuilt only when a source changed, so `make run` after
# `make test` starts at once.
UI_SOURCES := $(shell find ui/src ui/public -type f 2>/dev/null) ui/index.html \
              ui/package-lock.json $(wildcard ui/vite.config.* ui/tsconfig*.json ui/svelte.config.*)

ui: ui/dist/index.html

ui/dist/index.html: ui/node_modules/.package-lock.json $(UI_SOURCES)
	cd ui && npm run --silent build
	@touch $@

ui-deps: ui/node_modules/.package-lock.json

ui/node_modules/.package-lock.json: ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
	@touch $@

deps-build:
ifeq ($(UNAME),Linux)
	@missing=""; for p in $(APT_BUILD); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
else ifeq ($(UNAME),Darwin)
	@xcode-select -p >/dev/null 2>&1 || { echo "Install the Xcode command line tools: xcode-select --install"; exit 1; }
	@command -v node >/dev/null || { echo "Install Node.js 20 or newer (https://nodejs.org)."; exit 1; }
else
	@echo "On Windows: install the Microsoft C++ Build Tools, WebView2 (preinstalled on Windows 11), Rust and Node.js 20+, then run the commands in this Makefile from Git Bash."
endif

deps-e2e:
ifeq ($(UNAME),Linux)
	@missing=""; for p in $(APT_E2E); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing end-to-end packages:$$missing"; \
	  $(SUDO) apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@if ! "$(CARGO_BIN)/tauri-driver" --help >/dev/null 2>&1 && ! command -v tauri-driver >/dev/null; then \
	  echo "Installing tauri-driver $(TAURI_DRIVER_VERSION)"; \
	  $(CARGO) install tauri-driver --version $(TAURI_DRIVER_VERSION) --locked; \
	fi
else
	@echo "The end-to-end suite runs on Linux (WebKitWebDriver); skipping its setup here."
endif
