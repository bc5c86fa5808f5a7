#!/usr/bin/env bash
# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
#
# pre-commit hook: regenerate each addon's README.rst and static/description/index.html from
# its readme/ fragments and manifest with OCA's oca-gen-addon-readme (OCA/maintainer-tools).
# That tool is not on PyPI: install it once with
#   pip install git+https://github.com/OCA/maintainer-tools   (and Debian's pandoc)
# Where it is not installed (CI machines without GitHub), the hook says so and passes.
set -euo pipefail
if ! command -v oca-gen-addon-readme >/dev/null 2>&1; then
    echo "oca-gen-addon-readme not installed: README.rst not regenerated (see tools/gen-readme.sh)"
    exit 0
fi
exec oca-gen-addon-readme --org-name=lead-lifecycle --repo-name=lead_lifecycle --branch=18.0 \
    --addons-dir=addons --if-source-changed --keep-source-digest
