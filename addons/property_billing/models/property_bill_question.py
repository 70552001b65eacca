"""Placeholder: filled by the helper that owns property_bill_question."""
