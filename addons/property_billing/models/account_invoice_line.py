"""Placeholder: filled by the helper that owns account_invoice_line."""
