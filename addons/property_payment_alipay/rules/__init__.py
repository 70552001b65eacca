"""Alipay's open platform (RSA2) as plain Python (no odoo import): the
canonical string, signing and verifying, the signed requests and the checks
on a notify or a query answer. Tested without a database
(tests/rules/test_payment_alipay.py)."""
