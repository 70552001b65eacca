"""Business rules of complaint handling as plain Python.

Nothing in this package imports odoo: functions take stdlib values (datetimes,
dates, tuples) and return them, the clock (``now``) is always passed in, so they
are tested without a database and survive a port to a newer Odoo unchanged.
"""
