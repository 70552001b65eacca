"""Business rules of property billing as plain Python.

Nothing in this package imports odoo: functions take stdlib values (dates,
Decimals, tuples) and return them, so they are tested without a database and
survive a port to a newer Odoo unchanged.
"""
