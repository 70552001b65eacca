"""Placeholder: filled by the helper that owns property_billing_run."""
