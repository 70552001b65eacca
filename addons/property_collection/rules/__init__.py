"""The figures of collection analysis (收缴分析) as plain Python.

Nothing in this package imports odoo: functions take stdlib values (dates,
Decimals, namedtuples) and return them, the day (``as_of``) is always passed
in, so the definitions are tested by hand-computed tables without a database,
and the SQL of the reports is checked against them.
"""
