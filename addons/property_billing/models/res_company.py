"""Placeholder: filled by the helper that owns res_company."""
