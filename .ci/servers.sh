#!/usr/bin/env bash
# Install the SPARQL servers tests/test_remote.py starts on a fresh Debian machine: Virtuoso from apt
# (virtuoso-t, isql-vt) and the Oxigraph server from PyPI (also in pyproject's test extra), plus rapper
# for tests/test_store.py's independent Turtle check.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq virtuoso-opensource raptor2-utils >/dev/null
python -m pip install -q 'oxigraph>=0.5,<0.6'
command -v virtuoso-t isql-vt oxigraph rapper >/dev/null
