#!/usr/bin/env bash
# The suite's set-up, run and test commands. `make run` and `make test` call this;
# both go through the same `setup` step, so a fresh machine needs nothing else.
#
#   scripts/suite.sh run     set up, create/upgrade the demo database, serve on :8069
#   scripts/suite.sh test    set up, fresh test database, rule tests + Odoo tests + lint
#   scripts/suite.sh stop    stop the server and the project-local PostgreSQL cluster
#   scripts/suite.sh setup   only install/refresh the toolchain and start PostgreSQL
#   scripts/suite.sh lint    only lint
#   scripts/suite.sh pytest [ARGS]  reuse/upgrade the test database, run pytest ARGS
#
# Settings (environment): PROPERTY_PGPORT (54329), PROPERTY_HTTP_PORT (8069),
# PROPERTY_DB (property), PROPERTY_TEST_DB (property_test), PROPERTY_WORKERS (0),
# PYTHON37 (path of a Python 3.7 interpreter), PROPERTY_VENV and PROPERTY_LINT_VENV
# (.venv, .venv-lint), PROPERTY_PG_BASE (/var/lib/property-suite: where the cluster
# goes when the 'postgres' account cannot enter the checkout; see lib.sh pg_locate).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

cmd=${1:-}
case "$cmd" in
    setup)
        setup_all
        ;;
    run)
        setup_all
        write_odoo_conf
        prepare_demo_db
        serve
        ;;
    test)
        run_tests
        ;;
    pytest)
        shift
        quick_pytest "$@"
        ;;
    lint)
        ensure_lint_venv
        run_lint
        ;;
    stop)
        stop_server
        pg_stop
        ;;
    *)
        echo "usage: $0 run|test|stop|setup|lint|pytest [ARGS]" >&2
        exit 2
        ;;
esac
