"""Business rules of the owner portal as plain Python (no odoo import):
amounts for the gateways, order numbers, what a payment may cover. Tested
without a database (tests/rules/)."""
