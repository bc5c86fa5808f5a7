# lead_lifecycle — every command sets up what is missing first (Python env, Odoo 18.0,
# PostgreSQL). Without internet, give a local Odoo 18.0 source once: ODOO_SRC=/path make test
.PHONY: run test test-roundtrip test-stock test-pip lint ci setup shell pg-stop pot bench

run:        ## Odoo with lead_lifecycle and demo data on http://localhost:8069
	@bash tools/ll.sh run

test:       ## the whole lead_lifecycle test suite on a fresh database (pytest-odoo, tours)
	@bash tools/ll.sh test

test-roundtrip: ## install -> uninstall -> stock CRM -> install again, checked (LL_DB: a database to copy)
	@bash tools/ll.sh test-roundtrip $(LL_DB)

test-stock: ## Odoo's own crm, mass_mailing, mass_mailing_crm, base_automation suites with lead_lifecycle installed
	@bash tools/ll.sh test-stock

test-pip:   ## pip install ./addons/lead_lifecycle into a fresh virtualenv with Odoo, then -i it
	@bash tools/ll.sh test-pip

lint:       ## pre-commit (ruff, ruff-format, pylint-odoo, oca hooks) on all files
	@bash tools/ll.sh lint

ci: lint test test-stock test-pip

setup:
	@bash tools/ll.sh setup

shell:
	@bash tools/ll.sh shell

pg-stop:
	@bash tools/ll.sh pg-stop

pot:        ## regenerate addons/lead_lifecycle/i18n/lead_lifecycle.pot
	@bash tools/ll.sh pot

bench:      ## benchmark against stock Odoo in the same run; writes bench/RESULTS.md
	@bash tools/ll.sh bench
