#!/usr/bin/env bash
# Builds .tools/mlserver-venv (MLServer, its scikit-learn runtime, skl2onnx) from requirements.txt beside this file,
# for bench/serving/mlserver.bench.ts; never needed by the tests. It is rebuilt only when requirements.txt or the
# interpreter changed (a stamp in the venv records both), so the bench calls it every run at no cost.
# Usage: tools/python/mlserver-bench/setup-venv.sh   (python3 on PATH, 3.11 as resolved, with the venv module)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
requirements="$here/requirements.txt"
venv="$root/.tools/mlserver-venv"
stamp="$venv/.slipway-requirements.sha256"

if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  echo "mlserver-venv: python3 with the venv module is needed (Debian: apt-get install python3 python3-venv)" >&2
  exit 1
fi
mkdir -p "$root/.tools"
# A bench and a hand run at once would build the same folder over each other: one waits for the other.
exec 9>"$venv.lock"
flock 9

wanted="$(sha256sum "$requirements" | cut -d' ' -f1) $(python3 -c 'import sys; print(sys.version.split()[0])')"
if [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ] && "$venv/bin/mlserver" --version >/dev/null 2>&1; then
  echo "mlserver-venv: cached in $venv"
  exit 0
fi
echo "mlserver-venv: building $venv from ${requirements#"$root/"}"
rm -rf "$venv"
python3 -m venv "$venv"
# Wheels only, so a package that would need a compiler fails here rather than half way through a bench.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input --only-binary=:all: --requirement "$requirements"
# Last, so a build that stopped half way is never taken for a finished one.
echo "$wanted" >"$stamp"
echo "mlserver-venv: built"
