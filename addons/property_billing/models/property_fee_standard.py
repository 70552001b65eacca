"""Placeholder: filled by the helper that owns property_fee_standard."""
