# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Odoo's statement import with our own parser of Chinese bank exports
(CSV, XLS, XLSX read with a saved ``property.bank.statement.mapping``),
dedupe by the bank's serial number (流水号) and the auto-matching of the new
incoming lines."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..rules import channels
from ..rules import statement_files

# errors listed in one message; the rest are counted
MAX_LISTED_ERRORS = 20
# what the bulk creation of statement lines reproduces instead of calling
STATEMENT_LINE_WRITES = ("create", "_create", "write", "_write")


class AccountBankStatementImport(models.TransientModel):
    _inherit = "account.bank.statement.import"

    def _default_property_mapping(self):
        Mapping = self.env["property.bank.statement.mapping"]
        if not Mapping.check_access_rights("read", raise_exception=False):
            return Mapping
        return Mapping.search(
            [("company_id", "=", self.env.user.company_id.id)], limit=1)

    property_mapping_id = fields.Many2one(
        "property.bank.statement.mapping", string="Bank File Mapping",
        default=lambda self: self._default_property_mapping(),
        help="How your bank's CSV / Excel export is laid out. Incoming "
             "transfers are matched to bills and paid after the import.")

    @api.multi
    def import_file(self):
        self.ensure_one()
        # only who may create statements imports them (the core would fail
        # later, after parsing the file, with the same error)
        self.env["account.bank.statement"].check_access_rights("create")
        if not self.property_mapping_id:
            return super().import_file()
        journal_id = self.env.context.get("journal_id") or \
            self._property_default_journal().id
        action = super(AccountBankStatementImport, self.with_context(
            journal_id=journal_id)).import_file()
        context = action.get("context") or {}
        statement_ids = context.get("statement_ids")
        if not statement_ids:
            return action  # e.g. the journal creation wizard
        lines = self.env["account.bank.statement"].browse(
            statement_ids).mapped("line_ids")
        counts = lines._property_auto_match()
        context.setdefault("notifications", []).append(
            self._property_match_notification(counts, lines))
        return action

    def _property_default_journal(self):
        """The mapping's journal, else the bank transfer channel's."""
        mapping = self.property_mapping_id
        if mapping.journal_id:
            return mapping.journal_id
        return self.env["property.payment.channel"]._get(
            channels.TRANSFER, mapping.company_id).journal_id

    def _property_match_notification(self, counts, lines):
        waiting = lines.filtered(lambda line: line.property_match_state in (
            "unmatched", "ambiguous"))
        return {
            "type": "warning" if waiting else "info",
            "message": _(
                "Bank transfers: %(matched)d matched and paid with receipts, "
                "%(waiting)d wait in Transfers to Match, %(ignored)d are not "
                "payments (money out).") % {
                "matched": counts.get("matched", 0),
                "waiting": len(waiting),
                "ignored": counts.get("ignored", 0)},
            "details": {
                "name": _("Transfers to Match"),
                "model": "account.bank.statement.line",
                "ids": waiting.ids,
            },
        }

    # -- parsing -------------------------------------------------------------

    def _parse_file(self, data_file):
        mapping = self.property_mapping_id
        if not mapping:
            return super()._parse_file(data_file)
        result = statement_files.parse(
            data_file, self.filename or "", mapping._rule_mapping())
        if result.errors:
            raise UserError(self._property_errors_message(result.errors))
        transactions = [self._property_transaction_vals(tx)
                        for tx in result.transactions]
        statement = {
            "name": "%s %s ~ %s" % (
                mapping.name, fields.Date.to_string(result.date_from),
                fields.Date.to_string(result.date_to)),
            "date": fields.Date.to_string(result.date_to),
            "transactions": transactions,
        }
        if result.balance_start is not None:
            statement["balance_start"] = float(result.balance_start)
            statement["balance_end_real"] = float(result.balance_end)
        return None, None, [statement]

    @api.model
    def _property_transaction_vals(self, tx):
        """Values of the statement line of a parsed transaction. The
        counterparty's account is kept on the line, not given to the core
        (which would create a bank account without holder for it)."""
        return {
            "date": fields.Date.to_string(tx.date),
            "name": tx.memo or tx.name or "/",
            "amount": float(tx.amount),
            "unique_import_id": tx.import_id,
            "ref": tx.serial or False,
            "partner_name": tx.name or False,
            "property_serial": tx.serial or False,
            "property_counterparty_account": tx.account or False,
        }

    def _create_bank_statements(self, stmts_vals):
        if not self.property_mapping_id:
            return super()._create_bank_statements(stmts_vals)
        self._property_check_new(stmts_vals)
        if self._property_line_overrides():
            return super()._create_bank_statements(stmts_vals)
        return self._property_create_statements(stmts_vals)

    @api.model
    def _property_line_overrides(self):
        """Overrides of the statement lines' create and write by add-ons
        whose effect the bulk creation of the lines does not reproduce (the
        account's rounds the amount in the statement's currency)."""
        known = frozenset(["odoo.models", "base", "account", "property_payment"])
        return self.env["property.bulk.insert"]._overrides_of(
            {"account.bank.statement.line": STATEMENT_LINE_WRITES},
            lambda model, method, addon: addon in known)

    def _property_create_statements(self, stmts_vals):
        """The core's ``_create_bank_statements``, with the transactions
        already imported found in one query and each statement's lines
        written in one statement (``property.bulk.insert``) instead of a
        create, a write and a recomputation of the statement per line."""
        Statement = self.env["account.bank.statement"]
        Line = self.env["account.bank.statement.line"]
        Statement.check_access_rights("create")
        import_ids = [line["unique_import_id"] for vals in stmts_vals
                      for line in vals["transactions"]
                      if line.get("unique_import_id")]
        known = set()
        if import_ids:
            # as the core does: an id is unique across companies and journals
            self.env.cr.execute(
                "SELECT unique_import_id FROM account_bank_statement_line "
                "WHERE unique_import_id IN %s", (tuple(import_ids),))
            known = {row[0] for row in self.env.cr.fetchall()}
        statement_ids, ignored = [], []
        for st_vals in stmts_vals:
            new_lines = []
            for line_vals in st_vals["transactions"]:
                if line_vals.get("unique_import_id") in known:
                    ignored.append(line_vals["unique_import_id"])
                    if "balance_start" in st_vals:
                        st_vals["balance_start"] += float(line_vals["amount"])
                else:
                    line_vals.pop("account_number", None)
                    new_lines.append(line_vals)
            if new_lines:
                st_vals.pop("transactions", None)
                statement = Statement.create(st_vals)
                self._property_insert_lines(statement, new_lines)
                statement_ids.append(statement.id)
        if not statement_ids:
            raise UserError(_("You have already imported that file."))
        notifications = []
        if ignored:
            notifications.append({
                "type": "warning",
                "message": _("%d transactions had already been imported and "
                             "were ignored.") % len(ignored)
                if len(ignored) > 1 else _("1 transaction had already been "
                                           "imported and was ignored."),
                "details": {
                    "name": _("Already imported items"),
                    "model": "account.bank.statement.line",
                    "ids": Line.search([("unique_import_id", "in", ignored)]).ids,
                },
            })
        return statement_ids, notifications

    @api.model
    def _property_insert_lines(self, statement, lines_vals):
        """The lines of ``statement``, as ``create`` writes them: the amount
        rounded in the statement's currency (the account's create writes
        it again for that), the journal and company of the statement."""
        currency = statement.currency_id
        values = [dict(vals, statement_id=statement.id,
                       amount=currency.round(vals["amount"]))
                  for vals in lines_vals]
        related = {"journal_id": statement.journal_id.id,
                   "company_id": statement.company_id.id}
        self.env["property.bulk.insert"]._create_records(
            self.env["account.bank.statement.line"], values,
            computed=[related] * len(values), shared_defaults=True)
        statement.invalidate_cache(["line_ids"], statement.ids)

    def _property_check_new(self, stmts_vals):
        """Refuse, in our words, a file whose every transaction is in the
        database already (the same file, or one inside a file imported
        before)."""
        ids = [line.get("unique_import_id") for vals in stmts_vals
               for line in vals["transactions"]]
        if not ids or not all(ids):
            return
        self.env["account.bank.statement"].check_access_rights("create")
        # as the core does: an id is unique across companies and journals
        known = self.env["account.bank.statement.line"].sudo().search_count(
            [("unique_import_id", "in", ids)])
        if known == len(set(ids)):
            raise UserError(_(
                "Every transaction of this file (%d) was imported before, by "
                "its bank serial number (流水号): nothing was added.")
                % len(ids))

    # -- messages ------------------------------------------------------------

    @api.model
    def _property_errors_message(self, errors):
        listed = [self._property_error_text(error)
                  for error in errors[:MAX_LISTED_ERRORS]]
        if len(errors) > MAX_LISTED_ERRORS:
            listed.append(_("… and %d more problems.")
                          % (len(errors) - MAX_LISTED_ERRORS))
        return _("The bank file was not imported, nothing was changed:"
                 ) + "\n" + "\n".join(listed)

    @api.model
    def _property_error_text(self, error):
        """One ``(row, code, params)`` of ``rules.statement_files`` in the
        user's language."""
        row, code, params = error
        params = dict(params)
        params.setdefault("row", row)
        texts = {
            # the mapping
            "no_date_column": _("The mapping has no date column."),
            "no_amount_column": _(
                "The mapping needs an amount column or debit/credit "
                "columns."),
            "amount_and_debit_credit": _(
                "The mapping has both an amount column and debit/credit "
                "columns: keep one of them."),
            "column_needs_number": _(
                "Without a header row, column %(column)s must be given by "
                "its number."),
            "same_separators": _(
                "The thousands and decimal separators must differ."),
            "unknown_encoding": _("Unknown encoding %(encoding)s."),
            "no_date_format": _("The mapping has no date format."),
            # the file
            "bad_encoding": _(
                "The file is not %(encoding)s text: choose the mapping of the "
                "bank that exported it or the right encoding."),
            "wrong_encoding": _(
                "The file is %(detected)s text but the mapping reads "
                "%(encoding)s: choose the right mapping or change its "
                "encoding."),
            "bad_file_type": _(
                "%(filename)s is not a CSV, XLS or XLSX file."),
            "bad_spreadsheet": _("The spreadsheet cannot be read."),
            "bad_csv": _("Row %(row)s of the CSV file cannot be read."),
            "empty_file": _("The file is empty."),
            "file_too_large": _("The file is larger than %(limit)s."),
            "too_many_rows": _("The file has more than %(limit)s rows."),
            "too_many_columns": _(
                "Row %(row)s has more than %(limit)s columns."),
            "cell_too_long": _(
                "Row %(row)s, column %(column)s holds more than %(limit)s "
                "characters."),
            "nul_byte": _("Row %(row)s holds a NUL character."),
            "no_transactions": _("The file holds no transaction."),
            "missing_column": _(
                "Row %(row)s should be the header but has no column "
                "%(column)s: is this the mapping of the bank that exported "
                "the file?"),
            # rows
            "empty_date": _("Row %(row)s: the date (%(column)s) is empty."),
            "bad_date": _(
                "Row %(row)s: %(value)s in column %(column)s is not a date "
                "in the mapping's formats."),
            "bad_time": _(
                "Row %(row)s: %(value)s in column %(column)s is not a time."),
            "bad_amount": _(
                "Row %(row)s: %(value)s in column %(column)s is not an "
                "amount."),
            "empty_amount": _("Row %(row)s has no amount."),
            "debit_and_credit": _(
                "Row %(row)s has both a debit and a credit amount."),
            "empty_serial": _(
                "Row %(row)s: the bank serial number (%(column)s) is "
                "empty."),
            "duplicate_serial": _(
                "Row %(row)s: bank serial number %(serial)s is on row "
                "%(first_row)s too."),
        }
        text = texts.get(code)
        if text is None:
            return _("Row %(row)s: %(code)s") % {"row": row, "code": code}
        try:
            return text % params
        except (KeyError, TypeError, ValueError):
            return text
