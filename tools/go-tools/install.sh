#!/usr/bin/env bash
# Builds the pinned Go tools of tools.tsv into .tools/bin with `go install` from the Go module proxy.
# A tool whose binary already records the pinned module version is skipped, so repeated runs cost nothing.
# Usage: tools/go-tools/install.sh [name...]   (no names: every tool)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="$root/.tools/bin"
manifest="$root/tools/go-tools/tools.tsv"

if ! command -v go >/dev/null 2>&1; then
  echo "go-tools: the go command is not on PATH; install Go 1.26 or newer (or put /usr/local/go/bin on PATH)" >&2
  exit 1
fi
mkdir -p "$bin"
# Concurrent runs (Nx runs two targets at once) build each tool once: the second waits, then finds it cached.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$bin/.install.lock"
  flock 9
fi

wanted=("$@")
is_wanted() {
  [ "${#wanted[@]}" -eq 0 ] && return 0
  local name
  for name in "${wanted[@]}"; do [ "$name" = "$1" ] && return 0; done
  return 1
}

# A tool counts as cached when its binary exists and the stamp written after its build names the same pin
# (Go's build info omits -ldflags under -trimpath, so the stamp records them).
stamp_of() { printf '%s@%s %s' "$1" "$2" "$3"; }

found=0
while IFS=$'\t' read -r name package version ldflags; do
  case "$name" in '' | '#'*) continue ;; esac
  is_wanted "$name" || continue
  found=$((found + 1))
  stamp="$bin/.$name.pin"
  if [ -x "$bin/$name" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(stamp_of "$package" "$version" "$ldflags")" ]; then
    echo "go-tools: $name $version cached in $bin"
    continue
  fi
  echo "go-tools: building $name from $package@$version (the first build of helm takes about 3 minutes on 2 cores)"
  started=$SECONDS
  # Static binaries: no C toolchain needed, and the result runs on any Linux of the same architecture.
  GOBIN="$bin" CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -trimpath" go install ${ldflags:+-ldflags="$ldflags"} "$package@$version"
  stamp_of "$package" "$version" "$ldflags" >"$stamp"
  echo "go-tools: $name $version built in $((SECONDS - started)) s"
done <"$manifest"

if [ "${#wanted[@]}" -gt 0 ] && [ "$found" -ne "${#wanted[@]}" ]; then
  echo "go-tools: unknown tool among: ${wanted[*]} (known: $(awk -F'\t' '!/^#/ && NF { printf "%s ", $1 }' "$manifest"))" >&2
  exit 1
fi
