"""Placeholder: filled by the helper that owns property_complaint_sla."""
