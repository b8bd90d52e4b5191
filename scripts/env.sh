# Shared by start.sh, test.sh and .ci/run: create .venv with the project installed, quietly and only when needed.
# Usage: source scripts/env.sh [dev]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
VENV="$ROOT/.venv"
EXTRA="${1:-}"
if [ ! -x "$VENV/bin/python" ]; then
  echo "» creating virtual environment in .venv"
  "$PY" -m venv "$VENV"
fi
# Reinstall when pyproject.toml changes (the stamp records its hash and the extras installed).
STAMP="$VENV/.lvzhi-installed"
HASH="$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
NEED=1
if [ -f "$STAMP" ]; then
  read -r HAVE_HASH HAVE_EXTRA < "$STAMP" || true
  if [ "$HAVE_HASH" = "$HASH" ] && { [ -z "$EXTRA" ] || [ "${HAVE_EXTRA:-}" = "$EXTRA" ]; }; then NEED=0; fi
fi
if [ "$NEED" = 1 ]; then
  echo "» installing lvzhi and its dependencies (first run takes a few minutes)"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  if [ -n "$EXTRA" ]; then
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT[$EXTRA]"
  else
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT"
  fi
  echo "$HASH ${EXTRA}" > "$STAMP"
fi
export PATH="$VENV/bin:$PATH"
