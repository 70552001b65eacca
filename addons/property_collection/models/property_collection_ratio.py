# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class PropertyCollectionRatio(models.AbstractModel):
    """Reports whose rates are ratios of two sums: a group's rate is its
    own sum over its own sum (a rate is not a sum of rates). A report
    lists them in ``_ratios``: {rate field: (numerator, denominator)}, each
    rate a Float with ``group_operator=None``, in per cent."""

    _name = "property.collection.ratio"
    _description = "Collection Report Ratios"
    _ratios = {}

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None,
                   orderby=False, lazy=True):
        names = {spec.split(":")[0] for spec in fields}
        wanted = [rate for rate in self._ratios if rate in names]
        if wanted:
            fields = [spec for spec in fields
                      if spec.split(":")[0] not in wanted]
            fields = list(set(fields) | {
                part for rate in wanted for part in self._ratios[rate]})
        groups = super().read_group(
            domain, fields, groupby, offset=offset, limit=limit,
            orderby=orderby, lazy=lazy)
        for group in groups:
            for rate in wanted:
                part, whole = self._ratios[rate]
                whole = group.get(whole) or 0.0
                group[rate] = (100.0 * (group.get(part) or 0.0) / whole
                               if whole else False)
        return groups
