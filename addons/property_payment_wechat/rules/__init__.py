"""WeChat Pay API v3 as plain Python (no odoo import): signing, verifying,
decrypting and the checks on a paid transaction. Tested without a database
(tests/rules/test_payment_wechat.py)."""
