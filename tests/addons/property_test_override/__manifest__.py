# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Property Suite: test overrides",
    "summary": "Overrides of account methods for the invoice batch's guard tests "
               "(never installed: the tests chain its classes onto the registry)",
    "version": "11.0.1.0.0",
    "license": "AGPL-3",
    "author": "Property Suite Authors",
    "depends": ["account"],
    "installable": True,
}
