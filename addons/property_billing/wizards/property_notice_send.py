"""Placeholder: filled by the helper that owns property_notice_send."""
