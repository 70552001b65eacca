# The suite's two commands (see README.md) and a few helpers.
.PHONY: run test stop lint rules-test setup

run:            ## install what is missing, start PostgreSQL, install the suite with demo data, serve on :8069
	bash scripts/suite.sh run

test:           ## install what is missing, fresh test database, rule tests + Odoo tests + lint
	bash scripts/suite.sh test

stop:           ## stop the project-local PostgreSQL cluster (and a server started by `make run`)
	bash scripts/suite.sh stop

setup:          ## only install/refresh the toolchain (apt, npm, venvs) and start PostgreSQL
	bash scripts/suite.sh setup

lint:           ## lint only
	bash scripts/suite.sh lint
