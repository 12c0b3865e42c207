#!/usr/bin/env bash
set -euo pipefail
echo "cleaning {{ params.table }} for {{ ds }} ({{ env_name }})"
