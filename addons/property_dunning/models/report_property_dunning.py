# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The values of the dunning PDFs (the demand letter, the evidence index):
only what the reader may read is printed, the records are checked against
the reader's access rights and record rules first (the templates read their
values through private methods, which may use the superuser)."""
from odoo import api, models


def readable_values(env, model, docids, data):
    """The report values of the records ``docids`` of ``model`` after the
    reader's rights and rules (AccessError otherwise), in the order asked."""
    docs = env[model].browse(docids)
    existing = set(docs.exists().ids)
    docs = docs.browse([doc_id for doc_id in docs.ids if doc_id in existing])
    docs.check_access_rights("read")
    docs.check_access_rule("read")
    return {"doc_ids": docs.ids, "doc_model": model, "docs": docs,
            "data": data}


class ReportDunningLetter(models.AbstractModel):
    _name = "report.property_dunning.report_dunning_letter"
    _description = "Demand Letter Report"

    @api.model
    def get_report_values(self, docids, data=None):
        return readable_values(self.env, "property.dunning.step", docids, data)


class ReportLegalCaseIndex(models.AbstractModel):
    _name = "report.property_dunning.report_legal_case_index"
    _description = "Evidence Index Report"

    @api.model
    def get_report_values(self, docids, data=None):
        return readable_values(self.env, "property.legal.case", docids, data)
