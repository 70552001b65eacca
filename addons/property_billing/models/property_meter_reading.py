"""Placeholder: filled by the helper that owns property_meter_reading."""
