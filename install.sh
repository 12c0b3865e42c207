#!/bin/sh
# Placeholder until the packaging issue: installs Leoflow from a source checkout into a private
# virtualenv. The released installer (`curl … install.sh | sh` of a PyInstaller single binary)
# replaces this file with its own issue.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${LEOFLOW_PREFIX:-$HOME/.local/share/leoflow-venv}
python3 -m venv "$prefix"
"$prefix/bin/python" -m pip install --quiet "$here"
echo "leoflow installed: $prefix/bin/leoflow"
