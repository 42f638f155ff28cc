#!/usr/bin/env bash
# Installs the benchmark's flask-peewee peer into a virtualenv:
#   bench/peer/setup.sh VENV_DIR
# Idempotent: a copy of requirements.txt kept in the venv tells whether the
# installed packages are already the pinned ones.
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 VENV_DIR" >&2
    exit 2
fi
venv=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
requirements=$here/requirements.txt
stamp=$venv/.peer-requirements.txt

if [ -x "$venv/bin/gunicorn" ] && [ -f "$stamp" ] && cmp -s "$requirements" "$stamp"; then
    echo "flask-peewee peer: $venv is up to date"
    exit 0
fi

created=""
if [ ! -x "$venv/bin/pip" ]; then
    # Debian's python3 lacks ensurepip until python3-venv is installed.
    if ! out=$(python3 -m venv "$venv" 2>&1); then
        echo "$out" >&2
        echo "flask-peewee peer: python3 -m venv $venv failed; is python3-venv installed? (Debian: apt-get install python3-venv)" >&2
        exit 1
    fi
    created="created $venv and "
fi

"$venv/bin/pip" install --disable-pip-version-check -q -r "$requirements"
cp "$requirements" "$stamp"
echo "flask-peewee peer: ${created}installed $requirements into $venv"
