#!/usr/bin/env bash
# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
#
# Project set-up and commands behind the Makefile. Generic on purpose: Odoo 18.0 comes from
# $ODOO_SRC (a source tree or tarball), an Odoo 18.0 the chosen Python already imports, the
# per-user cache this script fills, or Odoo's official nightly source — in that order.
#
#   tools/ll.sh setup        python env + Odoo + PostgreSQL, nothing else
#   tools/ll.sh run          demo database with lead_lifecycle, Odoo on http://localhost:8069
#   tools/ll.sh test         fresh database, install-time tests, then pytest-odoo
#   tools/ll.sh test-roundtrip [DB]  install -> uninstall -> stock CRM -> install again, on a
#                            copy of DB (default: a fresh install)
#   tools/ll.sh test-stock   Odoo's own crm/mass_mailing/mass_mailing_crm/base_automation suites
#   tools/ll.sh test-pip     pip install ./addons/lead_lifecycle in a fresh virtualenv, then -i it
#   tools/ll.sh lint         pre-commit on all files
#   tools/ll.sh pot          regenerate i18n/lead_lifecycle.pot from a fresh database
#   tools/ll.sh bench        the benchmark (bench/), writes bench/RESULTS.md
#   tools/ll.sh pg-stop      stop the project-local PostgreSQL cluster
set -euo pipefail

SERIES=18.0
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL="$REPO/.local"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/lead_lifecycle"
ODOO_CACHE="$CACHE/odoo-$SERIES"
NIGHTLY_URL="${ODOO_NIGHTLY_URL:-https://nightly.odoo.com/$SERIES/nightly/src/odoo_$SERIES.latest.tar.gz}"
ADDON=lead_lifecycle
STOCK_MODULES=crm,mass_mailing,mass_mailing_crm,base_automation

say() { printf '\033[1m[lead_lifecycle]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[lead_lifecycle] error:\033[0m %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

# --------------------------------------------------------------------------------------------
# Python
# --------------------------------------------------------------------------------------------
pick_python() {
    if [ -n "${PYTHON:-}" ]; then echo "$PYTHON"; return; fi
    for p in python3.11 python3.12 python3.10 python3; do
        if command -v "$p" >/dev/null 2>&1 &&
            "$p" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))' 2>/dev/null; then
            command -v "$p"; return
        fi
    done
    die "Odoo $SERIES needs Python 3.10 to 3.12; set PYTHON=/path/to/python3.11"
}

pip_quiet() {
    # pip is chatty about optional local indexes; keep errors, drop the noise.
    local rc
    "$VENV/bin/pip" "$@" 2>&1 | { grep -v -E '^WARNING: Location|^\s*$' >&2 || true; }
    rc=${PIPESTATUS[0]}
    return "$rc"
}

# The virtualenv lives in the per-user cache, keyed by Python version and requirement files, so a
# second clone reuses it without network; .venv in the clone points at it.
ensure_venv() {
    local py key
    py=$(pick_python)
    key=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-$(cat "$REPO/requirements.txt" "$REPO/requirements-dev.txt" | sha256sum | cut -c1-12)
    VENV="$CACHE/venv-$key"
    if [ ! -f "$VENV/.complete" ]; then
        local system_site=()
        [ "${ODOO_ORIGIN:-}" = python ] && system_site=(--system-site-packages)
        say "creating the Python environment $VENV"
        rm -rf "$VENV"
        mkdir -p "$CACHE"
        "$py" -m venv "${system_site[@]}" "$VENV"
        pip_quiet install -q -U "pip>=23.2" "setuptools<81" wheel || die "pip could not install its own tools"
    fi
    ln -sfn "$VENV" "$REPO/.venv"
}

# --------------------------------------------------------------------------------------------
# Odoo source
# --------------------------------------------------------------------------------------------
odoo_series_of() {  # $1: a source tree; prints its series or nothing
    [ -f "$1/odoo/release.py" ] || return 0
    (cd "$1" && "$(pick_python)" -c 'import runpy; print(runpy.run_path("odoo/release.py")["serie"])' 2>/dev/null) || true
}

find_tree() {  # $1: a folder; prints the Odoo source root inside it (itself or one level down)
    local d
    for d in "$1" "$1"/*/; do
        d=${d%/}
        if [ -f "$d/odoo/release.py" ] && [ -d "$d/addons" ]; then echo "$d"; return; fi
    done
}

fill_cache_from() {  # $1: an Odoo source tree, copied into the cache
    local src=$1 tmp
    [ "$(odoo_series_of "$src")" = "$SERIES" ] || die "$src is not an Odoo $SERIES source tree (odoo/release.py says '$(odoo_series_of "$src")')"
    if [ "$(cd "$src" && pwd -P)" = "$(mkdir -p "$ODOO_CACHE" && cd "$ODOO_CACHE" && pwd -P)" ]; then return; fi
    say "copying Odoo $SERIES from $src into $ODOO_CACHE"
    tmp=$(mktemp -d "$CACHE/odoo-copy.XXXXXX")
    cp -a "$src/." "$tmp/"
    rm -rf "$ODOO_CACHE"
    mv "$tmp" "$ODOO_CACHE"
    : > "$ODOO_CACHE/.lead_lifecycle-complete"
}

fill_cache_from_tarball() {  # $1: a .tar.gz / .tar / .zip of an Odoo source tree
    local tmp tree
    tmp=$(mktemp -d "$CACHE/odoo-unpack.XXXXXX")
    case "$1" in
        *.zip) "$(pick_python)" -m zipfile -e "$1" "$tmp" ;;
        *) tar -xf "$1" -C "$tmp" ;;
    esac || { rm -rf "$tmp"; die "could not unpack $1"; }
    tree=$(find_tree "$tmp")
    [ -n "$tree" ] || { rm -rf "$tmp"; die "$1 holds no Odoo source tree (no odoo/release.py)"; }
    fill_cache_from "$tree"
    rm -rf "$tmp"
}

odoo_importable() {  # an Odoo $SERIES importable by the chosen Python itself
    "$(pick_python)" -c "import odoo.release, odoo.cli, sys; sys.exit(odoo.release.serie != '$SERIES')" 2>/dev/null
}

# Sets ODOO_ORIGIN (cache|python) and ODOO_ROOT (source tree, when from the cache).
locate_odoo() {
    mkdir -p "$CACHE"
    if [ -n "${ODOO_SRC:-}" ]; then
        if [ -d "$ODOO_SRC" ]; then
            local tree
            tree=$(find_tree "$ODOO_SRC")
            [ -n "$tree" ] || die "ODOO_SRC=$ODOO_SRC holds no Odoo source tree (no odoo/release.py and addons/)"
            fill_cache_from "$tree"
        elif [ -f "$ODOO_SRC" ]; then
            fill_cache_from_tarball "$ODOO_SRC"
        else
            die "ODOO_SRC=$ODOO_SRC is neither a folder nor a file"
        fi
        ODOO_ORIGIN=cache
    elif odoo_importable; then
        ODOO_ORIGIN=python
    elif [ -f "$ODOO_CACHE/.lead_lifecycle-complete" ] && [ "$(odoo_series_of "$ODOO_CACHE")" = "$SERIES" ]; then
        ODOO_ORIGIN=cache
    else
        say "no Odoo $SERIES found locally; downloading the official nightly source ($NIGHTLY_URL)"
        local tarball="$CACHE/odoo_$SERIES.latest.tar.gz"
        if curl -fL --connect-timeout 15 --speed-limit 2000 --speed-time 30 -o "$tarball.part" "$NIGHTLY_URL"; then
            mv "$tarball.part" "$tarball"
            fill_cache_from_tarball "$tarball"
            rm -f "$tarball"
            ODOO_ORIGIN=cache
        else
            rm -f "$tarball.part"
            die "Odoo $SERIES is not available: no ODOO_SRC, none importable by $(pick_python), nothing in $ODOO_CACHE, and the download from Odoo's official source failed.
    Without internet, point ODOO_SRC at a local Odoo $SERIES source tree or tarball once, e.g.:
        ODOO_SRC=/path/to/odoo-$SERIES make test
    It is copied into $ODOO_CACHE and reused from then on."
        fi
    fi
    [ "$ODOO_ORIGIN" = cache ] && ODOO_ROOT="$ODOO_CACHE"
    return 0
}

ensure_python_env() {
    locate_odoo
    ensure_venv
    if [ ! -f "$VENV/.complete" ] || ! "$VENV/bin/python" -c "import odoo.release, odoo.cli, sys; sys.exit(odoo.release.serie != '$SERIES')" 2>/dev/null; then
        if [ "$ODOO_ORIGIN" = cache ]; then
            # compat mode puts the source tree itself on sys.path: the OCA wheels' odoo/addons
            # namespace folder would otherwise shadow a modern editable install of odoo.
            say "installing Odoo $SERIES from $ODOO_ROOT (editable, without its own pins)"
            pip_quiet install -q --no-deps --no-build-isolation -e "$ODOO_ROOT" --config-settings editable_mode=compat ||
                die "pip could not install Odoo from $ODOO_ROOT"
        fi
        say "installing requirements.txt and requirements-dev.txt"
        pip_quiet install -q -r "$REPO/requirements.txt" -r "$REPO/requirements-dev.txt" ||
            die "pip could not install the requirements (see above); PyPI must be reachable the first time"
        "$VENV/bin/python" -c "import odoo.cli, odoo.addons.mass_mailing_partner" ||
            die "Odoo is installed but cannot be imported from $VENV"
        : > "$VENV/.complete"
    fi
    ODOO_BIN=("$VENV/bin/python" -c 'import odoo.cli; odoo.cli.main()')
}

odoo_addons_path() {
    "$VENV/bin/python" - "$REPO/addons" <<'PY'
import os, sys
import odoo
pkg = os.path.dirname(os.path.abspath(odoo.__file__))
paths = [os.path.join(pkg, "addons")]
top = os.path.join(os.path.dirname(pkg), "addons")
if os.path.isdir(os.path.join(top, "crm")):
    paths.append(top)
paths.append(sys.argv[1])
print(",".join(paths))
PY
}

# --------------------------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------------------------
conf_value() {  # $1: key in odoo.conf [options]; prints the value or nothing
    "$VENV/bin/python" - "$REPO/odoo.conf" "$1" <<'PY'
import configparser, sys
c = configparser.ConfigParser()
c.read(sys.argv[1])
v = c.get("options", sys.argv[2], fallback="")
print("" if v in ("False", "None") else v)
PY
}

pg_bindir() {
    local d
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then pg_config --bindir; return; fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$d/initdb" ] && { echo "$d"; return; }
    done
}

ensure_pg_binaries() {
    PGBIN=$(pg_bindir)
    if [ -z "$PGBIN" ]; then
        is_root || die "PostgreSQL server binaries (initdb, postgres) are missing: install Debian's 'postgresql' package, or give a server in odoo.conf / PG* variables"
        say "installing Debian's postgresql package"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
        PGBIN=$(pg_bindir)
        [ -n "$PGBIN" ] || die "postgresql installed but initdb was not found"
    fi
}

# An explicitly configured server (odoo.conf db_host or PGHOST) wins when it answers.
external_pg() {
    local host port user
    host=$(conf_value db_host); host=${host:-${PGHOST:-}}
    [ -n "$host" ] || return 1
    port=$(conf_value db_port); port=${port:-${PGPORT:-5432}}
    user=$(conf_value db_user); user=${user:-${PGUSER:-}}
    "$VENV/bin/python" - "$host" "$port" <<'PY' || return 1
import socket, sys
host, port = sys.argv[1], int(sys.argv[2])
try:
    if host.startswith("/"):
        s = socket.socket(socket.AF_UNIX); s.settimeout(3); s.connect(f"{host}/.s.PGSQL.{port}")
    else:
        socket.create_connection((host, port), timeout=3)
except OSError:
    sys.exit(1)
PY
    [ "$user" != postgres ] || die "Odoo must not connect as the 'postgres' superuser: set db_user in odoo.conf or PGUSER"
    DB_HOST=$host DB_PORT=$port DB_USER=$user DB_PASSWORD=$(conf_value db_password); DB_PASSWORD=${DB_PASSWORD:-${PGPASSWORD:-}}
    PG_LOCAL=0
    say "using the PostgreSQL server at $host:$port"
}

pg_service_user() {  # root cannot run initdb/postgres: use an unprivileged system user
    local u=postgres
    if ! id "$u" >/dev/null 2>&1; then
        u=lead_lifecycle
        id "$u" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$u"
    fi
    echo "$u"
}

as_pg() { if is_root; then (cd / && runuser -u "$PG_USER" -- "$@"); else "$@"; fi; }

local_pg_dir() {
    # The cluster lives in .local/ of the clone (git-ignored). When run as root and that folder
    # is not reachable by the service user (a private parent), or the socket path would be too
    # long for a Unix socket, it lives in /var/tmp under a name derived from the clone's path.
    local d="$LOCAL/pg" alt
    alt="${TMPDIR_PG:-/var/tmp}/lead_lifecycle-pg-$(id -u)-$(printf '%s' "$REPO" | sha256sum | cut -c1-12)"
    mkdir -p "$LOCAL"
    if [ ${#d} -gt 90 ]; then echo "$alt"; return; fi
    if is_root; then
        mkdir -p "$d"; chown "$PG_USER" "$d"
        if runuser -u "$PG_USER" -- test -w "$d" 2>/dev/null; then echo "$d"; else rmdir "$d" 2>/dev/null || true; echo "$alt"; fi
    else
        echo "$d"
    fi
}

start_local_pg() {
    ensure_pg_binaries
    PG_USER=$(id -un)
    is_root && PG_USER=$(pg_service_user)
    PGDATA_DIR=$(local_pg_dir)
    mkdir -p "$PGDATA_DIR"
    is_root && chown "$PG_USER" "$PGDATA_DIR"
    chmod 700 "$PGDATA_DIR"
    [ "$PGDATA_DIR" = "$LOCAL/pg" ] || ln -sfn "$PGDATA_DIR" "$LOCAL/pg-link"
    if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
        say "creating a project-local PostgreSQL cluster in $PGDATA_DIR"
        as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U "$PG_USER" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null ||
            as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U "$PG_USER" --auth=trust -E UTF8 --locale=C >/dev/null
        cat >> "$PGDATA_DIR/postgresql.conf" <<EOF
# lead_lifecycle: Unix socket only, in the data folder; sized for tests on a small machine
listen_addresses = ''
unix_socket_directories = '$PGDATA_DIR'
unix_socket_permissions = 0700
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 256MB
max_connections = 100
EOF
    fi
    if ! as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
        as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -t 60 start >/dev/null ||
            die "the local PostgreSQL did not start; see $PGDATA_DIR/server.log"
    fi
    DB_HOST=$PGDATA_DIR DB_PORT=5432 DB_USER=odoo DB_PASSWORD=
    # Odoo connects as a role that may create databases, not as a superuser.
    as_pg "$PGBIN/psql" -h "$PGDATA_DIR" -U "$PG_USER" -d postgres -qtAc \
        "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'odoo') THEN CREATE ROLE odoo LOGIN CREATEDB; END IF; END\$\$" >/dev/null
    PG_LOCAL=1
}

ensure_pg() { external_pg || start_local_pg; }

stop_local_pg() {
    local d
    for d in "$LOCAL/pg" "$LOCAL/pg-link"; do
        [ -f "$d/PG_VERSION" ] || continue
        d=$(readlink -f "$d")  # the service user may not traverse the clone's path
        PGBIN=$(pg_bindir); PG_USER=$(stat -c %U "$d/PG_VERSION")
        as_pg "$PGBIN/pg_ctl" -D "$d" -m fast stop >/dev/null 2>&1 || true
    done
}

# --------------------------------------------------------------------------------------------
# Odoo configuration and commands
# --------------------------------------------------------------------------------------------
write_runtime_conf() {
    # odoo.conf holds the project's settings; this machine's paths and database go into a
    # generated copy (.local/odoo.conf) that every command uses.
    RUNTIME_CONF="$LOCAL/odoo.conf"
    mkdir -p "$LOCAL/data"
    "$VENV/bin/python" - "$REPO/odoo.conf" "$RUNTIME_CONF" <<PY
import configparser, sys
c = configparser.ConfigParser(interpolation=None)
c.read(sys.argv[1])
o = c["options"]
o["addons_path"] = "$(odoo_addons_path)"
o["data_dir"] = "$LOCAL/data"
o["db_host"] = "$DB_HOST"
o["db_port"] = "$DB_PORT"
o["db_user"] = "$DB_USER"
o["db_password"] = "$DB_PASSWORD" or "False"
with open(sys.argv[2], "w") as f:
    c.write(f)
PY
}

setup() {
    ensure_python_env
    ensure_pg
    write_runtime_conf
}

odoo() {  # odoo [subcommand] [options]: the config goes after the subcommand
    if [ $# -gt 0 ] && [[ "$1" != -* ]]; then
        local sub=$1; shift
        "${ODOO_BIN[@]}" "$sub" -c "$RUNTIME_CONF" "$@"
    else
        "${ODOO_BIN[@]}" -c "$RUNTIME_CONF" "$@"
    fi
}

psql_odoo() { PGPASSWORD=$DB_PASSWORD "$(pg_bindir)/psql" -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -qtAX "$@"; }

drop_db() {
    psql_odoo -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$LOCAL/data/filestore/$1"
}

ensure_chromium() {
    local exe
    for exe in chromium google-chrome chromium-browser; do
        command -v "$exe" >/dev/null 2>&1 && return 0
    done
    if is_root; then
        say "installing Debian's chromium for the browser (tour) tests"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2 || die "apt-get could not install chromium"
    else
        die "tour tests need Chromium: install Debian's 'chromium' package (apt-get install chromium)"
    fi
}

free_port() {
    "$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Fails on ERROR/CRITICAL lines, on WARNING lines of our own module, and when a module's
# demo data failed (Odoo then installs it without demo data and goes on).
check_log() {  # $1: log file, $2: what it was
    local bad
    bad=$(grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) |^[0-9-]+ [0-9:,]+ [0-9]+ WARNING [^ ]+ odoo\.addons\.'"$ADDON"'[. ]|demo data failed to install' "$1" || true)
    if [ -n "$bad" ]; then
        printf '%s\n' "$bad" | head -40 >&2
        die "$2 logged errors or lead_lifecycle warnings (full log: $1)"
    fi
}

cmd_run() {
    setup
    local db=${LL_DB:-lead_lifecycle_demo} port=${LL_PORT:-8069}
    if psql_odoo -c "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
        say "upgrading $ADDON in the demo database $db"
        odoo -d "$db" -u "$ADDON" --stop-after-init --http-interface=127.0.0.1
    else
        say "creating the demo database $db with $ADDON and demo data"
        odoo -d "$db" -i "$ADDON" --stop-after-init --http-interface=127.0.0.1
    fi
    say "Odoo runs on http://localhost:$port  (database $db, login: admin, password: admin). Ctrl-C stops it."
    odoo -d "$db" --db-filter="^$db\$" --http-interface=127.0.0.1 --http-port="$port"
}

cmd_test() {
    setup
    ensure_chromium
    local db="ll_test_$(date +%Y%m%d_%H%M%S)_$$" log rc=0
    log="$LOCAL/test-install-$db.log"
    trap 'drop_db "'"$db"'"; drop_db "'"$db"'_roundtrip"; drop_db "'"$db"'_pa"' EXIT
    say "installing $ADDON into $db with its install-time tests (log: $log)"
    odoo -d "$db" -i "$ADDON" --test-enable --test-tags "/$ADDON:at_install" --stop-after-init \
        --http-interface=127.0.0.1 --http-port="${LL_TEST_PORT:-$(free_port)}" --log-level=info > "$log" 2>&1 || rc=$?
    grep -E 'odoo\.tests\.(result|stats)|FAIL:|ERROR:' "$log" >&2 || true
    [ "$rc" = 0 ] || { tail -60 "$log" >&2; die "installing $ADDON with its tests failed (exit $rc, log: $log)"; }
    check_log "$log" "installing $ADDON"
    say "running the $ADDON test suite with pytest-odoo"
    (cd "$REPO" && "$VENV/bin/python" -m pytest -p no:cacheprovider \
        --odoo-database="$db" --odoo-config="$RUNTIME_CONF" --odoo-http \
        "addons/$ADDON/tests" "$@")
    roundtrip "$db"
    test_bridge "${db}_pa"
}

# The bridge with Odoo's Resellers app (website_crm_partner_assign pulls website, portal
# and account): its own database, so lead_lifecycle's stays without website. Its
# install-time tests, then with pytest-odoo (every module loaded) its own tests and, as the
# stock control, website_crm_partner_assign's own tests except the five TestPublish
# website-editor tours, which time out on a 2-core machine on stock Odoo too.
BRIDGE=lead_lifecycle_partner_assign
BRIDGE_STOCK=website_crm_partner_assign

test_bridge() {  # $1: the database to create (dropped by the caller's trap)
    local db=$1 log rc=0 stock
    log="$LOCAL/test-install-$db.log"
    say "installing $BRIDGE into $db with its install-time tests (log: $log)"
    odoo -d "$db" -i "$BRIDGE" --test-enable --test-tags "/$BRIDGE:at_install" --stop-after-init \
        --http-interface=127.0.0.1 --http-port="${LL_TEST_PORT:-$(free_port)}" --log-level=info > "$log" 2>&1 || rc=$?
    grep -E 'odoo\.tests\.(result|stats)|FAIL:|ERROR:' "$log" >&2 || true
    [ "$rc" = 0 ] || { tail -60 "$log" >&2; die "installing $BRIDGE with its tests failed (exit $rc, log: $log)"; }
    ADDON=$BRIDGE check_log "$log" "installing $BRIDGE"
    stock=$(odoo_addon_dir "$BRIDGE_STOCK")
    say "running the $BRIDGE tests and $BRIDGE_STOCK's own (without TestPublish) with pytest-odoo"
    (cd "$REPO" && "$VENV/bin/python" -m pytest -p no:cacheprovider \
        --odoo-database="$db" --odoo-config="$RUNTIME_CONF" --odoo-http \
        "addons/$BRIDGE/tests" "$stock/tests" -k "not TestPublish")
    drop_db "$db"
}

odoo_addon_dir() {  # $1: a module; prints its folder on the runtime addons_path
    "$VENV/bin/python" - "$RUNTIME_CONF" "$1" <<'PY'
import configparser, os, sys
c = configparser.ConfigParser(interpolation=None)
c.read(sys.argv[1])
for path in c["options"]["addons_path"].split(","):
    if os.path.isfile(os.path.join(path.strip(), sys.argv[2], "__manifest__.py")):
        print(os.path.join(path.strip(), sys.argv[2]))
        break
else:
    sys.exit(f"{sys.argv[2]} is not on the addons_path")
PY
}

# tools/install_roundtrip.py on a copy of $1 (a database with $ADDON installed): uninstall
# and install again through Odoo, checked after each step; the copy is dropped.
roundtrip() {
    local db="$1_roundtrip" log="$LOCAL/test-roundtrip-$1.log" rc=0 t0
    t0=$(date +%s)
    drop_db "$db"
    psql_odoo -c "CREATE DATABASE \"$db\" TEMPLATE \"$1\"" >/dev/null ||
        die "could not copy $1 (is an Odoo still connected to it?)"
    if [ -d "$LOCAL/data/filestore/$1" ]; then
        mkdir -p "$LOCAL/data/filestore" && cp -a "$LOCAL/data/filestore/$1" "$LOCAL/data/filestore/$db"
    fi
    say "uninstalling $ADDON from a copy of $1 and installing it again (log: $log)"
    odoo shell -d "$db" --no-http --log-level=warn < "$REPO/tools/install_roundtrip.py" > "$log" 2>&1 || rc=$?
    grep -E '^(ok  |FAIL|-- |   )' "$log" >&2 || true
    drop_db "$db"
    [ "$rc" = 0 ] || { tail -40 "$log" >&2; die "the install/uninstall round trip failed (exit $rc, log: $log)"; }
    check_log "$log" "the install/uninstall round trip"
    say "round trip took $(( $(date +%s) - t0 )) s"
}

cmd_test_roundtrip() {
    setup
    local src=${1:-}
    if [ -z "$src" ]; then
        src="ll_roundtrip_$(date +%Y%m%d_%H%M%S)_$$"
        trap 'drop_db "'"$src"'"; drop_db "'"$src"'_roundtrip"' EXIT
        say "installing $ADDON into $src"
        odoo -d "$src" -i "$ADDON" --stop-after-init --no-http --log-level=warn
    else
        trap 'drop_db "'"$src"'_roundtrip"' EXIT
    fi
    roundtrip "$src"
}

cmd_test_stock() {
    setup
    local db="ll_stock_$(date +%Y%m%d_%H%M%S)_$$" log rc=0 t0
    log="$LOCAL/test-stock-$db.log"
    trap 'drop_db "'"$db"'"' EXIT
    t0=$(date +%s)
    # Installed with their tests, as Odoo's and the OCA's CI do: each module's at_install tests
    # run right after it is installed, the post_install tests once lead_lifecycle and everything
    # else is loaded. (Running at_install tests in a finished database would run mass_mailing's
    # before the OCA modules' code is loaded, against their columns.)
    say "installing $ADDON into $db with Odoo's own $STOCK_MODULES suites (log: $log)"
    odoo -d "$db" -i "$ADDON" --test-enable \
        --test-tags "$(printf '/%s,' ${STOCK_MODULES//,/ } | sed 's/,$//')" --stop-after-init \
        --http-interface=127.0.0.1 --http-port="${LL_TEST_PORT:-$(free_port)}" > "$log" 2>&1 || rc=$?
    grep -E 'odoo\.tests\.result|FAIL:|ERROR:' "$log" >&2 || true
    local result
    result=$(grep -E 'odoo\.tests\.result: [0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$log" | tail -1 || true)
    [ -n "$result" ] || { tail -60 "$log" >&2; die "the stock suites did not report a result (exit $rc, log: $log)"; }
    local failed errors total
    failed=$(sed -E 's/.*: ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1/' <<<"$result")
    errors=$(sed -E 's/.*: ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\2/' <<<"$result")
    total=$(sed -E 's/.*: ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\3/' <<<"$result")
    say "stock suites took $(( $(date +%s) - t0 )) s"
    echo "stock: $((total - failed - errors)) passed, $((failed + errors)) failed"
    [ "$rc" = 0 ] && [ "$failed" = 0 ] && [ "$errors" = 0 ] || die "Odoo's own suites failed with $ADDON installed (log: $log)"
}

# The addon as an admin installs it: a fresh virtualenv with Odoo and its dependencies only,
# then `pip install ./addons/lead_lifecycle` (built by whool, OCA's build backend, which turns
# the manifest's depends and external_dependencies into the wheel's requirements: the OCA
# modules come from PyPI as wheels), then `-i lead_lifecycle` with an addons_path that does
# not hold this repository.
cmd_test_pip() {
    setup
    local venv="$LOCAL/pip-venv" db="ll_pip_$(date +%Y%m%d_%H%M%S)_$$" log t0 reqs
    log="$LOCAL/test-pip-$db.log"
    trap 'drop_db "'"$db"'"; rm -rf "'"$venv"'"' EXIT
    t0=$(date +%s)
    [ "$ODOO_ORIGIN" = cache ] || die "test-pip needs Odoo's source tree (ODOO_SRC or the cache), not an Odoo the Python imports"
    say "fresh virtualenv $venv with Odoo $SERIES and its dependencies"
    rm -rf "$venv"
    "$(pick_python)" -m venv "$venv"
    reqs="$LOCAL/pip-odoo-requirements.txt"
    grep -v -E '^(odoo-addon-|phonenumbers|email-validator|pycountry)' "$REPO/requirements.txt" > "$reqs"
    VENV=$venv pip_quiet install -q -U "pip>=23.2" "setuptools<81" wheel
    VENV=$venv pip_quiet install -q -r "$reqs" || die "pip could not install Odoo's dependencies"
    VENV=$venv pip_quiet install -q --no-deps --no-build-isolation -e "$ODOO_ROOT" --config-settings editable_mode=compat ||
        die "pip could not install Odoo from $ODOO_ROOT"
    say "pip install ./addons/$ADDON"
    VENV=$venv pip_quiet install -q "$REPO/addons/$ADDON" || die "pip install ./addons/$ADDON failed"
    "$venv/bin/pip" show "odoo-addon-$ADDON" | sed -n '1,2p' >&2
    "$venv/bin/python" -c "import importlib.util as u, sys; sys.exit(not all(u.find_spec('odoo.addons.' + m) for m in ('$ADDON', 'mass_mailing_partner')))" ||
        die "the installed wheel does not provide odoo.addons.$ADDON"
    local paths
    paths=$(VENV=$venv odoo_addons_path | sed "s#,$REPO/addons##")
    say "installing $ADDON from the wheel into $db (addons_path without this repository: $paths)"
    "$venv/bin/python" -c 'import odoo.cli; odoo.cli.main()' -c "$RUNTIME_CONF" --addons-path="$paths" \
        -d "$db" -i "$ADDON" --without-demo=all --stop-after-init --http-interface=127.0.0.1 \
        --http-port="${LL_TEST_PORT:-$(free_port)}" --log-level=warn > "$log" 2>&1 ||
        { tail -40 "$log" >&2; die "-i $ADDON from the wheel failed (log: $log)"; }
    check_log "$log" "installing $ADDON from its wheel"
    local state
    state=$(psql_odoo -d "$db" -c "SELECT state FROM ir_module_module WHERE name = '$ADDON'")
    [ "$state" = installed ] || die "$ADDON is '$state' after -i from the wheel"
    local where
    where=$("$venv/bin/python" -c "import importlib.util as u, os; print(os.path.dirname(u.find_spec('odoo.addons.$ADDON').origin))")
    case "$where" in "$REPO/addons"/*) die "$ADDON was imported from the repository ($where), not from the wheel" ;; esac
    say "pip install + -i $ADDON from $where: installed ($(( $(date +%s) - t0 )) s)"
}

cmd_lint() {
    ensure_python_env
    (cd "$REPO" && PATH="$VENV/bin:$PATH" "$VENV/bin/pre-commit" run --all-files --show-diff-on-failure)
}

cmd_pot() {
    setup
    local db="ll_pot_$$" pot="$REPO/addons/$ADDON/i18n/$ADDON.pot"
    trap 'drop_db "'"$db"'"' EXIT
    odoo -d "$db" -i "$ADDON" --without-demo=all --stop-after-init --log-level=warn
    odoo -d "$db" --modules="$ADDON" --i18n-export="$pot" --stop-after-init --log-level=warn
    say "wrote $pot"
}

# Stock Odoo for the benchmark's comparisons: the Odoo modules lead_lifecycle builds on,
# without lead_lifecycle and without the OCA modules.
BENCH_STOCK_MODULES=crm,mass_mailing,mass_mailing_crm,base_automation,phone_validation

cmd_bench() {
    setup
    local db="ll_bench_$(date +%Y%m%d_%H%M%S)_$$"
    trap 'drop_db "'"$db"'"; drop_db "'"$db"'_stock"' EXIT
    say "installing $ADDON into $db and stock Odoo ($BENCH_STOCK_MODULES) into ${db}_stock (no demo data)"
    odoo -d "$db" -i "$ADDON" --without-demo=all --stop-after-init --log-level=warn
    odoo -d "${db}_stock" -i "$BENCH_STOCK_MODULES" --without-demo=all --stop-after-init --log-level=warn
    (cd "$REPO" && "$VENV/bin/python" bench/bench.py --config "$RUNTIME_CONF" \
        --database "$db" --stock-database "${db}_stock" \
        --results "${BENCH_RESULTS:-$REPO/bench/RESULTS.md}" "$@")
}

cmd_shell() {
    setup
    odoo shell -d "${LL_DB:-lead_lifecycle_demo}" "$@"
}

cmd=${1:-}
shift || true
case "$cmd" in
    setup) setup; say "ready: Odoo $SERIES in $VENV, database server at $DB_HOST" ;;
    run) cmd_run "$@" ;;
    test) cmd_test "$@" ;;
    test-roundtrip) cmd_test_roundtrip "$@" ;;
    test-stock) cmd_test_stock "$@" ;;
    test-pip) cmd_test_pip "$@" ;;
    lint) cmd_lint "$@" ;;
    shell) cmd_shell "$@" ;;
    pot) cmd_pot ;;
    bench) cmd_bench "$@" ;;
    odoo) setup; odoo "$@" ;;
    pg-stop) stop_local_pg ;;
    *) die "usage: tools/ll.sh setup|run|test|test-roundtrip|test-stock|test-pip|lint|pot|bench|shell|odoo|pg-stop" ;;
esac
