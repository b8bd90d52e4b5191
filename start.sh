#!/usr/bin/env bash
# Set up and run lvzhi on the embedded default: SQLite, demo data, no other service.
# Serves http://127.0.0.1:${PORT:-8000}; data (database, uploads, key) in ${LVZHI_DATA_DIR:-./var}.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/env.sh
lvzhi setup
lvzhi demo
exec lvzhi serve
