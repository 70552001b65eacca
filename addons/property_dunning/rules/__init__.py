"""Business rules of graded dunning as plain Python.

Nothing in this package imports odoo: functions take stdlib values (dates,
Decimals, namedtuples) and return them, the day (``as_of``) is always passed in,
so they are tested without a database and survive a port to a newer Odoo
unchanged.
"""
