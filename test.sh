#!/usr/bin/env bash
# Run the whole test suite (unit, web, API, imports of the real data in ../shared, headless-browser tests).
# Database: SQLite by default; set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) for PostgreSQL.
# Extra arguments go to pytest (e.g. ./test.sh tests/proposals -x). Tests run in one process per core
# (pytest-xdist, a file's tests stay together); LVZHI_TEST_PROCESSES=0 runs them in this process alone.
# LVZHI_RENAME_STATES=1 re-codes and renames every state of every default workflow right after it is installed
# (tests/states.py); CI runs the suites of tests/renamed_suites.txt so too.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/env.sh dev
if ! command -v chromium >/dev/null 2>&1; then
  echo "» installing Debian's chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
  echo "» installing LibreOffice Writer and poppler-utils for the rendered Word-document tests"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libreoffice-writer-nogui poppler-utils fonts-wqy-microhei >/dev/null
fi
export LVZHI_DATA_DIR="${LVZHI_DATA_DIR:-$(mktemp -d)}"
echo "» pytest on ${DATABASE_URL:-SQLite}"
exec python -m pytest -n "${LVZHI_TEST_PROCESSES:-auto}" --dist loadfile "$@"
