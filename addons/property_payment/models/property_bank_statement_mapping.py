# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..rules import statement_files

ENCODINGS = [
    ("gb18030", "GB18030 (Chinese banks, covers GBK)"),
    ("utf-8", "UTF-8"),
    ("utf-16", "UTF-16"),
    ("big5", "Big5"),
]
COLUMN_HELP = ("The header text of the column (several accepted texts "
               "separated by |) or its number counted from 1.")


class PropertyBankStatementMapping(models.Model):
    """Where a bank's statement export keeps each value (one per bank and
    export format): read by ``rules.statement_files``."""

    _name = "property.bank.statement.mapping"
    _description = "Bank Statement File Mapping"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True,
        default=lambda self: self.env.user.company_id)
    bank_id = fields.Many2one("res.bank")
    journal_id = fields.Many2one(
        "account.journal", string="Default Journal",
        domain="[('type', '=', 'bank'), ('company_id', '=', company_id)]",
        help="The bank journal these files are imported into when the "
             "import is not started from a journal. Empty: the journal of "
             "the bank transfer payment channel.")
    file_encoding = fields.Selection(
        ENCODINGS, string="Encoding", required=True, default="gb18030",
        help="Text encoding of CSV files. Chinese banks export GB18030: "
             "never choose GBK, it cannot read rare characters in names.")
    delimiter = fields.Char(
        size=1, help="Field separator of CSV files; empty: detected.")
    skip_header = fields.Integer(
        string="Rows Before the Header",
        help="Preamble rows (account, holder, period) above the header row.")
    skip_footer = fields.Integer(
        string="Rows After the Transactions",
        help="Totals and closing-balance rows at the end of the file.")
    has_header = fields.Boolean(
        string="Has a Header Row", default=True,
        help="Without a header row, every column is given by its number.")
    date_column = fields.Char(required=True, help=COLUMN_HELP)
    time_column = fields.Char(help=COLUMN_HELP)
    amount_column = fields.Char(
        help="A signed amount column (money in positive). " + COLUMN_HELP)
    debit_column = fields.Char(
        help="借方发生额: money out. " + COLUMN_HELP)
    credit_column = fields.Char(
        help="贷方发生额: money in. " + COLUMN_HELP)
    serial_column = fields.Char(
        string="Serial Number Column",
        help="The bank's serial number (流水号): a transaction imported "
             "once is never imported again. " + COLUMN_HELP)
    name_column = fields.Char(string="Counterparty Name Column",
                              help=COLUMN_HELP)
    account_column = fields.Char(string="Counterparty Account Column",
                                 help=COLUMN_HELP)
    memo_column = fields.Char(help="摘要 / 附言 / 用途. " + COLUMN_HELP)
    balance_column = fields.Char(help=COLUMN_HELP)
    date_formats = fields.Text(
        required=True,
        default="\n".join(statement_files.DEFAULT_DATE_FORMATS),
        help="Date formats tried in order, one per line (%Y year, %m month, "
             "%d day, %H:%M:%S time).")
    thousands_sep = fields.Char(string="Thousands Separator", default=",",
                                size=1)
    decimal_sep = fields.Char(string="Decimal Separator", default=".",
                              size=1, required=True)
    inverse_sign = fields.Boolean(
        string="Money Out Is Positive",
        help="The amount column counts payments out as positive amounts.")

    @api.constrains("date_column", "amount_column", "debit_column",
                    "credit_column", "has_header", "time_column",
                    "serial_column", "name_column", "account_column",
                    "memo_column", "balance_column", "date_formats",
                    "thousands_sep", "decimal_sep", "file_encoding")
    def _check_mapping(self):
        for mapping in self:
            errors = statement_files.check_mapping(mapping._rule_mapping())
            if errors:
                raise ValidationError("\n".join(
                    self.env["account.bank.statement.import"]
                    ._property_error_text(error) for error in errors))

    def _rule_mapping(self):
        """The mapping as ``rules.statement_files.Mapping``."""
        self.ensure_one()
        return statement_files.Mapping(
            skip_header=max(self.skip_header, 0),
            skip_footer=max(self.skip_footer, 0),
            has_header=self.has_header,
            date_column=self.date_column or None,
            time_column=self.time_column or None,
            amount_column=self.amount_column or None,
            debit_column=self.debit_column or None,
            credit_column=self.credit_column or None,
            serial_column=self.serial_column or None,
            name_column=self.name_column or None,
            account_column=self.account_column or None,
            memo_column=self.memo_column or None,
            balance_column=self.balance_column or None,
            date_formats=self.date_formats or "",
            thousands_sep=self.thousands_sep or "",
            decimal_sep=self.decimal_sep or ".",
            encoding=self.file_encoding,
            delimiter=self.delimiter or None,
            inverse_sign=self.inverse_sign,
        )

    @api.multi
    def copy(self, default=None):
        default = dict(default or {})
        default.setdefault("name", _("%s (copy)") % self.name)
        return super().copy(default)
