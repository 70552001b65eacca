# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The fee standard form leads nobody into the error of ``write``: once a
standard leaves draft, every field its ``write`` refuses is readonly in the
form, and what ``write`` still accepts stays editable."""
import json

from lxml import etree

from odoo.addons.property_billing.models.property_fee_standard import (
    CHATTER_PREFIXES, EDITABLE_FIELDS)
from odoo.addons.property_billing.tests.common import PropertyCase

AFTER_DRAFT = [["state", "!=", "draft"]]


class TestFeeStandardView(PropertyCase):

    def _form_fields(self):
        """(name, modifiers) of the form's own fields, not those of the
        embedded lists."""
        Standard = self.env["property.fee.standard"]
        arch = Standard.fields_view_get(
            view_id=self.env.ref(
                "property_billing.property_fee_standard_view_form").id,
            view_type="form")["arch"]
        root = etree.fromstring(arch)
        result = []
        for node in root.iter("field"):
            if any(parent.tag == "field" for parent in node.iterancestors()):
                continue
            # a statusbar shows the state; it changes it only when clickable
            if node.get("widget") == "statusbar" and \
                    "clickable" not in (node.get("options") or ""):
                continue
            result.append((node.get("name"),
                           json.loads(node.get("modifiers") or "{}")))
        return result

    def test_fields_write_refuses_are_readonly_after_draft(self):
        Standard = self.env["property.fee.standard"]
        editable = []
        for name, modifiers in self._form_fields():
            field = Standard._fields[name]
            if field.readonly or name in EDITABLE_FIELDS or \
                    name.startswith(CHATTER_PREFIXES):
                continue
            if modifiers.get("readonly") not in (True, AFTER_DRAFT):
                editable.append(name)
        self.assertEqual(editable, [])

    def test_what_write_accepts_stays_editable(self):
        modifiers = dict(self._form_fields())
        for name in ("note", "preview_area", "preview_months"):
            self.assertNotIn("readonly", modifiers[name], name)
