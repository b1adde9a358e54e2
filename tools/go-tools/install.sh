#!/usr/bin/env bash
# Builds the pinned Go tools of tools.tsv into .tools/bin with `go install` from the Go module proxy.
# A tool whose binary already records the pinned module version is skipped, so repeated runs cost nothing.
# Usage: tools/go-tools/install.sh [name...]   (no names: every tool)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${SLIPWAY_TOOLS_BIN:-$root/.tools/bin}"
manifest="$root/tools/go-tools/tools.tsv"

if ! command -v go >/dev/null 2>&1; then
  echo "go-tools: the go command is not on PATH; install Go 1.26 or newer (Debian: golang-go from backports, or /usr/local/go/bin on PATH)" >&2
  exit 1
fi
mkdir -p "$bin"

wanted=("$@")
is_wanted() {
  [ "${#wanted[@]}" -eq 0 ] && return 0
  local name
  for name in "${wanted[@]}"; do [ "$name" = "$1" ] && return 0; done
  return 1
}

# `go version -m` prints the main module of a Go binary ("mod <path> <version> <sum>"): the pin it was built from.
built_version() {
  [ -x "$1" ] || return 0
  go version -m "$1" 2>/dev/null | awk '$1 == "mod" { print $3; exit }'
}

found=0
while IFS=$'\t' read -r name package version; do
  case "$name" in '' | '#'*) continue ;; esac
  is_wanted "$name" || continue
  found=$((found + 1))
  if [ "$(built_version "$bin/$name")" = "$version" ]; then
    echo "go-tools: $name $version cached in $bin"
    continue
  fi
  echo "go-tools: building $name from $package@$version (the first build of helm takes about 3 minutes on 2 cores)"
  started=$SECONDS
  # Static binaries: no C toolchain needed, and the result runs on any Linux of the same architecture.
  GOBIN="$bin" CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -trimpath" go install "$package@$version"
  echo "go-tools: $name $version built in $((SECONDS - started)) s"
done <"$manifest"

if [ "${#wanted[@]}" -gt 0 ] && [ "$found" -ne "${#wanted[@]}" ]; then
  echo "go-tools: unknown tool among: ${wanted[*]} (known: $(awk -F'\t' '!/^#/ && NF { printf "%s ", $1 }' "$manifest"))" >&2
  exit 1
fi
