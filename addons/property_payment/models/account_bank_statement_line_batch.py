# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The auto-matching of imported transfers, paid in batches
(account.bank.statement.line of account, extended; the file name says
which part it holds).

The lines are matched one after the other as ``_property_match_one`` does,
and the matched ones are paid together through the allocation service's
batch path (``property.payment.service._pay_many``). A line is matched on
what the lines before it settled: when its match could depend on a payment
still waiting in the batch (one of the bills that decided it,
``statement_matching.decided_on``, is among those the waiting payments may
settle, ``statement_matching.touches``), the batch is paid first and the
line is matched again. Two transfers of one payer for two of his bills wait
in the same batch: the service allocates each on what the one before left."""
from collections import OrderedDict, defaultdict

from odoo import api, models

from ..rules import channels
from ..rules import statement_matching as matching
from .account_bank_statement_line import _decimal

# matched lines paid at once (bounds the memory and the savepoint's size)
BATCH_SIZE = 2000
NOT_PAID = (matching.IGNORED, matching.AMBIGUOUS, matching.NONE)


class AccountBankStatementLine(models.Model):
    # the batch matching, next to the batch payments it calls
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "account.bank.statement.line"

    @api.multi
    def _property_match_batch(self, index):
        """Match the lines of ``self``, in this order, against ``index`` and
        pay the matched ones in batches. Returns ``{state: count}``."""
        counts = {}
        pending = []
        # the bills the waiting payments may settle
        touched = set()

        def count(state):
            counts[state] = counts.get(state, 0) + 1

        def flush():
            for state in self._property_pay_batch(pending, index):
                count(state)
            del pending[:]
            touched.clear()

        # what the matching reads of the lines (which paying them does not
        # change), read once
        rule_lines = [line._property_rule_line() for line in self]
        for line, rule_line in zip(self, rule_lines):
            found = matching.match(index, rule_line)
            if pending:
                decided = matching.decided_on(index, rule_line, found)
                if decided is None or not touched.isdisjoint(decided):
                    flush()
                    found = matching.match(index, rule_line)
            if found.kind in NOT_PAID:
                count(line._property_match_one(index))
                continue
            pending.append((line, found))
            touched.update(matching.touches(index, found))
            if len(pending) >= BATCH_SIZE:
                flush()
        if pending:
            flush()
        return counts

    @api.model
    def _property_pay_batch(self, pending, index):
        """Pay ``pending`` ([(line, match)]) through ``_pay_many`` and record
        each line's matching, as ``_property_match_one`` does; returns the
        states."""
        Partner = self.env["res.partner"]
        Invoice = self.env["account.invoice"]
        # the payers and bills of the batch read together
        prefetch = defaultdict(set)
        requests = []
        for line, found in pending:
            invoices = Invoice.browse(list(found.bills), prefetch=prefetch)
            requests.append({
                "payer": Partner.browse(found.payer, prefetch=prefetch),
                "amount": line.amount,
                "channel_code": channels.TRANSFER,
                "invoices": invoices or None,
                "date": line.date,
                "serial": line.property_serial or line.ref or None,
                "reference": line.ref or None,
                "statement_line": line,
            })
        results = self.env["property.payment.service"]._pay_many(requests)
        states, matches = [], OrderedDict()
        for (line, found), request, result in zip(pending, requests, results):
            if isinstance(result, Exception):
                matches[line] = ("unmatched", "error", {"message": result.name},
                                 None, None)
                states.append("unmatched")
                continue
            params = dict(found.params)
            if "amount" in params:
                params["amount"] = str(params["amount"])
            matches[line] = ("matched", found.reason, params, result,
                             request["payer"])
            for receipt_line in result.line_ids:
                if receipt_line.invoice_id:
                    index.settle(receipt_line.invoice_id.id,
                                 _decimal(receipt_line.amount))
            states.append("matched")
        self._property_write_matches(matches)
        return states
