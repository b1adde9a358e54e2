#!/usr/bin/env bash
# Creates one of the project's Python virtualenvs with pinned packages: the clients the conformance checks drive
# (.tools/venv from tools/python/requirements.txt, the default), the benchmarks' peers (`bench`: .tools/venv-bench
# from tools/python/bench-requirements.txt) or MLServer for the serving bench (`mlserver`: .tools/mlserver-venv from
# tools/python/mlserver-bench/requirements.txt); the last two are never needed by the tests. Cached: a venv whose
# stamp records the requirements' sha256 and the interpreter it was built with is left as it is, so repeated runs
# cost nothing.
# Usage: tools/python/setup-venv.sh [bench|mlserver]   (python3 on PATH, 3.9 or newer, with the venv module)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
case "${1:-}" in
  "") requirements="$root/tools/python/requirements.txt"; venv="$root/.tools/venv" ;;
  bench) requirements="$root/tools/python/bench-requirements.txt"; venv="$root/.tools/venv-bench" ;;
  mlserver) requirements="$root/tools/python/mlserver-bench/requirements.txt"; venv="$root/.tools/mlserver-venv" ;;
  *) echo "python-venv: unknown venv \"$1\"; give none (the test clients), bench or mlserver" >&2; exit 2 ;;
esac
stamp="$venv/.slipway-requirements.sha256"

if ! command -v python3 >/dev/null 2>&1; then
  echo "python-venv: python3 is not on PATH; install Python 3.11 (Debian: apt-get install python3 python3-venv)" >&2
  exit 1
fi
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  echo "python-venv: $(command -v python3) has no venv/ensurepip module (Debian: apt-get install python3-venv)" >&2
  exit 1
fi

mkdir -p "$root/.tools"
# Two runs at once (two test processes) would build the same folder over each other: one waits for the other.
exec 9>"$venv.lock"
flock 9

# The interpreter is part of the key: a venv built on another python3 breaks when that one is replaced.
wanted="$(sha256sum "$requirements" | cut -d' ' -f1) $(python3 -c 'import sys; print(sys.version.split()[0])')"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && "$venv/bin/python" -c '' >/dev/null 2>&1; then
  echo "python-venv: cached in $venv"
  exit 0
fi

echo "python-venv: building $venv from ${requirements#"$root/"}"
started=$SECONDS
rm -rf "$venv"
python3 -m venv "$venv"
# Wheels only: a package that would compile from source on one machine and not on another fails here instead.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input --only-binary=:all: \
  --requirement "$requirements"
# Written last, so a build that stopped half way is never taken for a finished one.
echo "$wanted" >"$stamp"
echo "python-venv: built in $((SECONDS - started)) s"
