# Tests are collected by pytest-odoo; keep this package free of imports.
