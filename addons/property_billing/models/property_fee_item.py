# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..rules import fees

METER_KINDS = [
    ("water", "Water"),
    ("electricity", "Electricity"),
    ("gas", "Gas"),
]


class PropertyFeeItem(models.Model):
    """A fee item (收费项目): what is billed and how it is calculated.

    The rate itself lives on the versioned ``property.fee.standard``.
    """

    _name = "property.fee.item"
    _description = "Fee Item"
    _order = "sequence, id"

    _sql_constraints = [
        ("code_company_uniq", "unique(company_id, code)",
         "The fee item code must be unique per company."),
    ]

    name = fields.Char(required=True, translate=True, index=True)
    code = fields.Char(
        index=True, help="Short code, e.g. MGMT, WATER; used in reports.")
    sequence = fields.Integer(default=10)
    method = fields.Selection(
        fees.FEE_METHODS, string="Calculation Method", required=True,
        default=fees.PER_AREA,
        help="Per m²: rate (元/m²/month) × building area × months.\n"
             "Fixed: amount per unit (or parking space) per month.\n"
             "Metered: consumption × price, with optional yearly tiers.\n"
             "Apportioned: a shared amount split over the units in scope.")
    product_id = fields.Many2one(
        "product.product", ondelete="restrict",
        domain="[('sale_ok', '=', True)]",
        help="Product put on the invoice lines of this fee.")
    account_id = fields.Many2one(
        "account.account", string="Income Account", ondelete="restrict",
        domain="[('deprecated', '=', False), ('internal_type', '=', 'other')]",
        help="Income account of the invoice lines; empty = the product's "
             "income account, then its category's.")
    tax_ids = fields.Many2many(
        "account.tax", "property_fee_item_tax_rel", "item_id", "tax_id",
        string="Taxes", domain="[('type_tax_use', '=', 'sale')]")
    meter_kind = fields.Selection(
        METER_KINDS, help="Kind of meter read for a metered fee.")
    apportion_basis = fields.Selection(
        fees.APPORTION_BASES, string="Apportion By", default=fees.BY_AREA,
        help="How an apportioned (公摊) amount is split over the units.")
    uom_label = fields.Char(
        string="Unit of Measure", translate=True,
        help="Unit of the metered consumption shown in the basis, e.g. m³, 度.")
    each_label = fields.Char(
        string="Per", translate=True,
        help="What a fixed amount is per, shown in the basis: 户 (unit), "
             "车位 (parking space)... Empty = unit.")
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True,
        default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(
        "res.currency", related="company_id.currency_id", readonly=True)
    standard_ids = fields.One2many(
        "property.fee.standard", "item_id", string="Standards")
    standard_count = fields.Integer(compute="_compute_standard_count")
    active = fields.Boolean(default=True)

    # -- computes ------------------------------------------------------------

    @api.multi
    def _compute_standard_count(self):
        counts = {}
        if self.ids:
            groups = self.env["property.fee.standard"].read_group(
                [("item_id", "in", self.ids)], ["item_id"], ["item_id"])
            counts = {g["item_id"][0]: g["item_id_count"] for g in groups}
        for item in self:
            item.standard_count = counts.get(item.id, 0)

    # -- constraints and onchanges ---------------------------------------------

    @api.constrains("method", "meter_kind")
    def _check_meter_kind(self):
        for item in self:
            if item.method == fees.METERED and not item.meter_kind:
                raise ValidationError(_(
                    "The metered fee item %s needs a meter kind "
                    "(water, electricity or gas).") % item.name)

    @api.constrains("method", "apportion_basis")
    def _check_apportion_basis(self):
        for item in self:
            if item.method == fees.APPORTIONED and not item.apportion_basis:
                raise ValidationError(_(
                    "The apportioned fee item %s needs an apportionment basis "
                    "(by area or equally).") % item.name)

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id:
            if not self.account_id:
                self.account_id = self._product_income_account(self.product_id)
            if not self.tax_ids:
                self.tax_ids = self.product_id.taxes_id.filtered(
                    lambda tax: tax.company_id == self.company_id)

    @api.onchange("method")
    def _onchange_method(self):
        if self.method == fees.METERED and not self.uom_label:
            self.uom_label = "m³"

    # -- actions ---------------------------------------------------------------

    @api.multi
    def action_view_standards(self):
        self.ensure_one()
        action = self.env.ref(
            "property_billing.property_fee_standard_action").read()[0]
        action["domain"] = [("item_id", "=", self.id)]
        action["context"] = {"default_item_id": self.id}
        return action

    # -- business methods ---------------------------------------------------------

    @api.model
    def _product_income_account(self, product):
        return (product.property_account_income_id
                or product.categ_id.property_account_income_categ_id)

    @api.multi
    def _income_account(self):
        """The income account of this fee's invoice lines: the item's, else the
        product's, else the product category's (empty recordset if none)."""
        self.ensure_one()
        if self.account_id:
            return self.account_id
        if self.product_id:
            return self._product_income_account(self.product_id)
        return self.env["account.account"]

    @api.multi
    def _rules_labels(self):
        """``rules.fees.Labels`` in the user's language (English source words,
        Chinese through the zh_CN translation) with this item's units."""
        self.ensure_one()
        labels = fees.DEFAULT_LABELS._replace(
            currency=_("yuan"), month=_("month"), day=_("day"),
            vacant=_("vacant"), tier=_("tier {n}"), rounding=_("rounding"),
            each=_("unit"))
        if self.each_label:
            labels = labels._replace(each=self.each_label)
        if self.uom_label:
            labels = labels._replace(meter=self.uom_label)
        return labels
