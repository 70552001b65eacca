"""Business rules of payments as plain Python.

Nothing in this package imports odoo: allocation, change and overpayment,
amounts in Chinese capitals, bank-file parsing and matching, auto-debit
files. They are tested without a database (tests/rules/).
"""
