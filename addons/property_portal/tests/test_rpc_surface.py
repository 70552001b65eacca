# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The RPC surface of the suite, swept as a portal owner and as a clerk.

Every model method without a leading ``_`` answers ``/web/dataset/call_kw``
and XML-RPC for any logged-in user. The sweep finds, in the registry, every
model that the three add-ons define or extend and every public method that
their Python defines on it (plus the ORM entry points of their own models),
calls each one the way the web client's RPC does (``check_method_name`` then
``odoo.api.call_kw``) as a portal owner, on a record the owner cannot see,
each call inside a savepoint that is rolled back, and expects an
``AccessError``. Anything else (a return value, a UserError, a TypeError from
inside the method) means the method ran without checking the caller's rights.

Wizards have no access rights: the owner creates each wizard (allowed) and
calls each of its actions on it, which must end in an AccessError too. A
failure lists (model, method, what happened) for every call that ran.

``PORTAL_SAFE`` is the explicit allow-list, each entry with its reason.

The clerk part covers what a billing clerk must not change over RPC either:
the ledger, published fee standards and the computed preview of a run.
"""
import base64
import datetime
import inspect
import itertools
from decimal import Decimal

from odoo import api, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger

from odoo.addons.property_billing.tests.common import PropertyCase
from odoo.addons.property_billing.tests.common_billing import (
    SYNC,
    BillingFactoryMixin,
)

# property_payment and property_dunning are swept where they are installed
# (property_portal depends on neither; the suite's test databases have them)
OUR_ADDONS = ("property_billing", "property_complaint", "property_portal",
              "property_payment", "property_dunning", "property_payment_wechat",
              "property_payment_alipay", "property_collection")
ORM_ENTRY_POINTS = ("create", "write", "unlink", "copy", "read", "search_read")
XSS = '<img src="x" onerror="alert(document.cookie)">'

_SAVEPOINT = itertools.count(1)


def _no_target(exc, result, target):
    """Answered, and the answer does not hold the record the owner may not
    see."""
    if exc is not None:
        return False
    for item in result if isinstance(result, list) else []:
        if isinstance(item, dict) and item.get("id") == target:
            return False
        if isinstance(item, (list, tuple)) and item and item[0] == target:
            return False
        if item == target:
            return False
    return True


def _answered(exc, result, target):
    return exc is None


def _window_action(exc, result, target):
    """A window action and nothing else: what it lists is read later,
    through the record rules."""
    return (exc is None and isinstance(result, dict)
            and result.get("type") == "ir.actions.act_window")


def _needs_a_mime_message(exc, result, target):
    """Refused by Odoo's own type check: RPC cannot carry the argument."""
    return isinstance(exc, TypeError) and "email.message.Message" in str(exc)


# (model or None for any model, method or "prefix*") -> (reason, check).
# A call listed here may end otherwise than in an AccessError when
# ``check(exception or None, result, target id)`` accepts how it ended.
PORTAL_SAFE = {
    (None, "search_read"): (
        "searches through the record rules: the answer holds only records "
        "the owner may read", _no_target),
    (None, "name_search"): (
        "searches through the record rules, like search_read", _no_target),
    (None, "action_view_*"): (
        "smart buttons return a window action (menu data, readable by "
        "everyone); the records it lists are read through the record rules",
        _window_action),
    ("mail.thread", "message_route"): (
        "takes an email.message.Message, which neither XML-RPC nor JSON can "
        "carry; Odoo's own check refuses anything else", _needs_a_mime_message),
    ("property.notice.send", "default_get"): (
        "fills in the wizard that anyone may open (wizards have no ACL) from "
        "the context; a run's bills are read through the record rules",
        _answered),
    ("property.complaint.stage", "read"): (
        "complaint stages are public configuration shown on the portal",
        _answered),
    ("property.complaint.stage", "search_read"): (
        "complaint stages are public configuration shown on the portal",
        _answered),
    ("property.complaint.category", "read"): (
        "complaint categories are public configuration shown on the portal",
        _answered),
    ("property.complaint.category", "search_read"): (
        "complaint categories are public configuration shown on the portal",
        _answered),
    ("property.complaint.category", "name_get"): (
        "complaint categories are public configuration shown on the portal",
        _answered),
}


def _portal_safe(model_name, method_name, transient):
    for key in ((model_name, method_name), (None, method_name)):
        if key in PORTAL_SAFE:
            return PORTAL_SAFE[key]
    if not transient:
        # patterns (smart buttons) do not cover wizards: the owner created the
        # wizard, so each of its actions must check the rights it needs itself
        for (model, pattern), entry in PORTAL_SAFE.items():
            if (model in (None, model_name) and pattern.endswith("*")
                    and method_name.startswith(pattern[:-1])):
                return entry
    return None


def _our_class(klass):
    module = getattr(klass, "__module__", "") or ""
    return any(module.startswith("odoo.addons.%s." % addon)
               for addon in OUR_ADDONS)


def _class_target(klass):
    """The model a model class of ours defines or extends."""
    name = klass.__dict__.get("_name")
    if name:
        return name
    inherit = klass.__dict__.get("_inherit")
    if isinstance(inherit, str):
        return inherit
    if isinstance(inherit, (list, tuple)) and len(inherit) == 1:
        return inherit[0]
    return None


class TestRpcSurface(BillingFactoryMixin, PropertyCase):
    """A portal owner with a current occupancy of a unit of their own estate,
    and targets: the register, bills, ledger, standards, meters, complaints
    of ``cls.owner`` in ``cls.estate``, which the portal owner may not see."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.property_notice_days = 30
        # the portal owner lives in an estate of their own
        cls.portal_estate = cls._create_estate()
        cls.portal_building = cls._create_building(
            estate_id=cls.portal_estate.id)
        cls.portal_unit = cls._create_unit(
            estate_id=cls.portal_estate.id, building_id=cls.portal_building.id)
        cls.portal_partner = cls._create_owner()
        cls._create_occupancy(unit_id=cls.portal_unit.id,
                              partner_id=cls.portal_partner.id,
                              date_from="2024-01-01")
        cls.portal_user = cls._create_portal_user(cls.portal_partner)
        cls._build_targets()

    @classmethod
    def _build_targets(cls):
        """One record per model, none of them visible to the portal owner."""
        env = cls.env
        cls.fee_item = cls._create_fee_item(name="物业管理费")
        cls.standard = cls._publish_standard(cls._create_standard(cls.fee_item))
        cls.posted_run = cls._create_run()
        cls.posted_run.with_context(**SYNC).action_generate()
        cls.posted_run.with_context(**SYNC).action_post()
        cls.preview_run = cls._create_run(date_from="2026-04-01",
                                          date_to="2026-04-30",
                                          invoice_date="2026-04-01")
        cls.preview_run.action_preview()
        meter = env["property.meter"].create({
            "code": "M-RPC-%d" % cls._next(), "kind": "water",
            "unit_id": cls.unit.id, "estate_id": cls.estate.id, "digits": 5,
        })
        env["property.meter.reading"].create({
            "meter_id": meter.id, "date": "2026-02-28", "value": 12.0,
            "reading_type": "normal",
        })
        env["property.sms.gateway"].create({
            "name": "RPC sweep gateway", "provider": "http_json",
            # a name that never resolves: no call may leave the machine
            "url": "https://sms.rpc-sweep.invalid/send", "api_key": "stub-key",
            "sign": "【绿园物业】", "timeout": 1.0, "max_attempts": 1,
            "retry_delay": 5, "sequence": 99,
        })
        complaint = env["property.complaint"].create({
            "partner_id": cls.owner.id, "unit_id": cls.unit.id,
            "description": "The elevator is out of order.",
            "channel": "phone",
            "category_id": env.ref(
                "property_complaint.complaint_category_repair_elevator").id,
        })
        env["property.complaint.pause"].create({
            "complaint_id": complaint.id, "date_start": "2026-03-02 08:00:00",
        })
        water = cls._create_fee_item(name="水费", method="metered",
                                     meter_kind="water", uom_label="m³")
        cls._create_standard(water, rate=0.0, tier_ids=[
            (0, 0, {"upto": 180.0, "price": 3.45}),
            (0, 0, {"upto": 0.0, "price": 4.83})])
        env["property.fee.consultation"].create({
            "name": "Rate change", "standard_id": cls.standard.id,
            "participants": "Owners' committee",
        })
        invoice = env["account.invoice"].search(
            [("property_billing_run_id", "=", cls.posted_run.id)], limit=1)
        env["property.bill.question"].create({
            "invoice_line_id": invoice.invoice_line_ids[:1].id,
            "partner_id": cls.owner.id, "question": "Why this amount?",
        })
        env["property.notice.delivery"].create({
            "invoice_id": invoice.id, "channel": "print",
        })
        if "property.receipt" in env:
            cls._build_payment_targets(invoice)
        if "property.dunning.step" in env:
            cls._build_dunning_targets()
        cls._build_transaction_target()

    @classmethod
    def _build_transaction_target(cls):
        """An online payment of another payer (the owner must not touch it)."""
        from ..models import payment_transaction as module
        env = cls.env
        stranger = env["res.partner"].create({"name": "Stranger Payer"})
        acquirer = env["payment.acquirer"].search([], limit=1)
        env["payment.transaction"].with_context(**{
            module.SERVICE_KEY: module._SERVICE}).create({
                "acquirer_id": acquirer.id, "amount": 12.5,
                "currency_id": cls.company.currency_id.id,
                "partner_id": stranger.id, "reference": "PPRPCSWEEP01",
                "property_payer_id": stranger.id})

    @classmethod
    def _build_payment_targets(cls, invoice):
        """property_payment's records, when it is installed: a receipt with
        advance credit, a bank statement line, a daily closing, an
        auto-debit order answered by the bank with a failure."""
        # imported here: property_portal does not depend on property_payment
        from odoo.addons.property_payment.rules import debit_files
        env = cls.env
        service = env["property.payment.service"]
        service._pay(cls.owner, invoice.residual + 10.0, "cash",
                     estate=cls.estate)
        journal = env["property.payment.channel"]._get(
            "transfer", cls.company).journal_id
        env["account.bank.statement"].create({
            "journal_id": journal.id, "name": "RPC-SWEEP",
            "line_ids": [(0, 0, {"name": "unknown transfer", "amount": 5.0,
                                 "date": "2026-03-05"})]})
        env["property.cash.closing"].action_close_my_day()
        bill = cls._create_posted_bill(amount=80.0, period="2026-05")
        bank = env["res.partner.bank"].create({
            "acc_number": "6222020200199887766", "partner_id": cls.owner.id})
        mandate = env["account.banking.mandate"].create({
            "partner_bank_id": bank.id, "signature_date": "2026-01-15",
            "company_id": cls.company.id})
        mandate.validate()
        mode = env["account.payment.mode"]._property_debit_mode(cls.company)
        order = env["account.payment.order"].create(
            {"payment_mode_id": mode.id})
        bill.move_id.line_ids.filtered(
            lambda aml: aml.account_id == bill.account_id
        ).create_payment_line_from_move_line(order)
        order.draft2open()
        order.open2generated()
        order.generated2uploaded()
        line = order.bank_line_ids[:1]
        spec = mode.property_debit_template_id._spec()
        data = debit_files.render_return(
            spec, order.name, datetime.date(2026, 5, 31),
            [debit_files.ReturnLine(
                None, None, line.property_debit_seq,
                line.property_debit_agreement, None, None,
                Decimal(repr(line.property_debit_amount)), "E001",
                "余额不足", "SN-RPC", "", None, None)])
        env["property.debit.return.import"].create({
            "data_file": base64.b64encode(data), "filename": "return.txt",
            "order_id": order.id}).action_import()

    @classmethod
    def _build_dunning_targets(cls):
        """property_dunning's records, when it is installed: the owner's
        overdue bill chased by the default policy's run (a payer status, a
        step with its bill and deliveries, the run), and a late fee drafted
        on it; the demo data has the plans, calls and legal case."""
        env = cls.env
        account = env["account.account"].search([
            ("company_id", "=", cls.company.id),
            ("user_type_id.type", "=", "other")], limit=1)
        bill = env["account.invoice"].create({
            "partner_id": cls.owner.id, "type": "out_invoice",
            "property_unit_id": cls.unit.id, "billing_period": "2026-06",
            "date_invoice": "2026-06-01", "date_due": "2026-06-30",
            "invoice_line_ids": [(0, 0, {
                "name": "物业管理费", "price_unit": 120.0, "quantity": 1.0,
                "account_id": account.id})]})
        bill.action_invoice_open()
        policy = env["property.dunning.policy"]._policy_for(cls.estate)
        env["property.dunning.run"]._run(
            policy, now=datetime.datetime(2026, 7, 10, 2, 0))
        payer = env["property.dunning.payer"].search([
            ("partner_id", "=", cls.owner.id),
            ("estate_id", "=", cls.estate.id)])
        fee = env["property.late.fee"].create({
            "kind": "waive", "payer_id": payer.id,
            "invoice_ids": [(6, 0, bill.ids)],
            "date": "2026-07-10", "reason": "RPC sweep"})
        fee.sudo(cls.manager).action_approve()

    # -- introspection -----------------------------------------------------

    def _surface(self):
        """{model: sorted public method names} of the three add-ons."""
        surface = {}
        for model_name in sorted(self.registry.models):
            Model = self.env[model_name]
            own = Model._original_module in OUR_ADDONS
            ours = [klass for klass in type(Model).__mro__ if _our_class(klass)]
            if not ours:
                continue
            own_models = {m for m in self.registry.models
                          if self.env[m]._original_module in OUR_ADDONS}
            methods = set()
            for klass in ours:
                target = _class_target(klass)
                # our mixins count on the models that inherit them; our
                # extensions of core mixins (mail.thread) on the mixin itself
                if target != model_name and not (own and target in own_models):
                    continue
                for name, value in klass.__dict__.items():
                    if name.startswith("_") or not inspect.isfunction(value):
                        continue
                    methods.add(name)
            if own and not Model._abstract:
                methods.update(ORM_ENTRY_POINTS)
            if methods:
                surface[model_name] = sorted(methods)
        return surface

    # -- targets and dummy arguments ---------------------------------------

    def _invisible_id(self, model_name):
        """The id of a record of ``model_name`` that the owner cannot read,
        or None."""
        Model = self.env[model_name].sudo()
        candidates = Model.with_context(active_test=False).search(
            [], limit=50, order="id desc")
        if not candidates:
            # nothing of the kind yet: make one from its required fields
            try:
                with self.env.cr.savepoint():
                    candidates = Model.create(self._required_vals(model_name))
            except Exception:  # pylint: disable=broad-except
                return None
        try:
            visible = Model.sudo(self.portal_user).with_context(
                active_test=False).search([("id", "in", candidates.ids)])
        except AccessError:
            return candidates[0].id
        hidden = candidates - visible.sudo()
        return (hidden or candidates)[0].id

    def _any_id(self, model_name):
        record = self.env[model_name].sudo().with_context(
            active_test=False).search([], limit=1)
        return record.id

    def _dummy_field_value(self, field):
        if field.type == "many2one":
            return self._any_id(field.comodel_name) or False
        if field.type in ("char", "text", "html"):
            return "x"
        if field.type == "selection":
            selection = field.selection
            if callable(selection) or isinstance(selection, str):
                selection = field.get_values(self.env)
                return selection[0] if selection else False
            return selection[0][0] if selection else False
        if field.type in ("integer", "float", "monetary"):
            return 1
        if field.type == "date":
            return "2026-03-01"
        if field.type == "datetime":
            return "2026-03-01 08:00:00"
        if field.type == "boolean":
            return True
        if field.type == "binary":
            return base64.b64encode(b"x").decode()
        return False

    def _required_vals(self, model_name):
        Model = self.env[model_name]
        defaults = Model.default_get(list(Model._fields))
        vals = {}
        for name, field in Model._fields.items():
            if (not field.required or name in defaults or field.compute
                    or field.related or name in models.MAGIC_COLUMNS):
                continue
            if field.type in ("one2many", "many2many"):
                continue
            vals[name] = self._dummy_field_value(field)
        return vals

    def _create_vals(self, model_name):
        if model_name == "mail.activity":
            # an activity on a complaint the owner may not see
            return {
                "res_model_id": self.env["ir.model"]._get(
                    "property.complaint").id,
                "res_id": self._invisible_id("property.complaint"),
                "activity_type_id": self._any_id("mail.activity.type"),
                "summary": "x", "user_id": self.portal_user.id,
            }
        return self._required_vals(model_name)

    def _report_model(self, model_name):
        report = self.env["ir.actions.report"].sudo().search(
            [("report_name", "=", model_name[len("report."):])], limit=1)
        return report.model

    def _dummy(self, model_name, method_name, param, target):
        """A plausible value for a required parameter, from its name."""
        name = param.lower()
        if name in ("vals_list",):
            return [self._create_vals(model_name)]
        if name in ("vals", "values") and method_name == "create":
            return self._create_vals(model_name)
        if name == "docids" and model_name.startswith("report."):
            doc_model = self._report_model(model_name)
            return [self._invisible_id(doc_model)] if doc_model else []
        if name in ("operation", "mode"):
            return "read"
        if name in ("vals", "values", "update_vals", "custom_values",
                    "default", "data", "options"):
            return {}
        if name in ("msg_dict", "message_dict"):
            return {"subject": "x", "body": "x", "from": "someone@example.com",
                    "email_from": "someone@example.com", "to": "x@example.com",
                    "message_id": "<rpc-sweep@example.com>", "attachments": [],
                    "cc": "", "recipients": "", "references": "",
                    "in_reply_to": "", "author_id": False,
                    "date": "2026-03-01 08:00:00"}
        if name in ("model", "model_name"):
            return model_name
        if name in ("ids", "docids", "res_ids", "records", "record_ids",
                    "invoices", "invoice_ids"):
            return [target] if target else []
        if name in ("date", "date_from", "today", "now"):
            return "2026-03-01"
        if name in ("date_to",):
            return "2026-03-31"
        if name in ("estate", "estate_id"):
            return self.estate.id
        if name in ("field_names", "fields", "fields_list", "allfields"):
            return []
        if name in ("name", "body", "message", "text", "subject"):
            return "x"
        if name in ("domain", "args"):
            return []
        return None

    def _call_args(self, model_name, method_name, target):
        method = getattr(type(self.env[model_name]), method_name)
        api_kind = getattr(method, "_api", None)
        signature = inspect.signature(method)
        params = list(signature.parameters.values())[1:]   # self
        args = []
        for param in params:
            if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                continue
            if param.default is not param.empty:
                break
            args.append(self._dummy(model_name, method_name, param.name,
                                    target))
        if method_name == "search_read":
            args = [[("id", "=", target)]] if target else [[]]
        if api_kind == "model":
            return args
        return [[target] if target else []] + args

    # -- the RPC call ------------------------------------------------------

    def _rpc(self, user, model_name, method_name, args, kwargs=None):
        """What ``/web/dataset/call_kw`` does for ``user``."""
        models.check_method_name(method_name)
        env = self.env(user=user.id)
        return api.call_kw(env[model_name], method_name, args, kwargs or {})

    def _attempt(self, user, model_name, method_name, args, kwargs=None):
        """(exception or None, result), rolled back whatever happened."""
        savepoint = "rpc_sweep_%d" % next(_SAVEPOINT)
        cr = self.env.cr
        cr.execute("SAVEPOINT %s" % savepoint)
        try:
            return None, self._rpc(user, model_name, method_name, args, kwargs)
        except Exception as exc:  # pylint: disable=broad-except
            return exc, None
        finally:
            cr.execute("ROLLBACK TO SAVEPOINT %s" % savepoint)
            self.env.clear()

    def _own_wizard(self, model_name):
        """The id of a wizard created by the portal owner (wizards have no
        ACL), or, when the owner may not even create it, None."""
        savepoint = "rpc_wizard_%d" % next(_SAVEPOINT)
        self.env.cr.execute("SAVEPOINT %s" % savepoint)
        try:
            vals = self._required_vals(model_name)
            return self._rpc(self.portal_user, model_name, "create", [vals])
        except Exception:  # pylint: disable=broad-except
            self.env.cr.execute("ROLLBACK TO SAVEPOINT %s" % savepoint)
            self.env.clear()
            return None

    def _core_entry_points(self):
        """Public methods of Odoo that reach the add-ons' code with what the
        caller passes: the mail gateway takes a raw mail and routes it to
        complaints (``message_new``), in the name of whoever it claims."""
        raw = "\r\n".join([
            "From: %s <%s>" % (self.owner.name, self.owner.email),
            "To: complaints@example.com",
            "Subject: RPC sweep",
            "Message-Id: <rpc-sweep-%d@example.com>" % self._next(),
            "Content-Type: text/plain; charset=utf-8",
            "", "Sent over RPC by a portal owner.", ""])
        return [
            ("mail.thread", "message_process", ["property.complaint", raw]),
        ]

    @staticmethod
    def _describe(exc, result):
        if exc is None:
            text = repr(result)
            return "returned %s" % (text if len(text) < 80 else text[:77] + "...")
        text = str(exc).replace("\n", " ")
        return "raised %s: %s" % (type(exc).__name__, text[:100])

    # -- the portal owner ----------------------------------------------------

    @mute_logger("odoo.sql_db", "odoo.models", "odoo.addons.queue_job",
                 "odoo.addons.property_billing", "odoo.addons.property_complaint")
    def test_portal_owner_gets_access_errors_everywhere(self):
        surface = self._surface()
        # the sweep sees the models it is about (guards the introspection)
        for model_name in ("property.unit", "property.billing.line",
                           "property.complaint", "account.invoice",
                           "property.register.import"):
            self.assertIn(model_name, surface)
        self.assertIn("action_generate", surface["property.billing.run"])
        # the allow-list names only methods that exist
        for model_name, method_name in PORTAL_SAFE:
            if model_name and not method_name.endswith("*"):
                self.assertIn(method_name, surface.get(model_name, []),
                              "stale PORTAL_SAFE entry")
        failures = []
        calls = 0
        for model_name, methods in sorted(surface.items()):
            Model = self.env[model_name]
            if Model._transient:
                target = (self._own_wizard(model_name)
                          or self._invisible_id(model_name))
                methods = [m for m in methods if m not in ORM_ENTRY_POINTS]
            elif Model._abstract:
                target = None
            else:
                target = self._invisible_id(model_name)
                if target is None:
                    failures.append((model_name, "*", "no record to call on"))
                    continue
            for method_name in methods:
                try:
                    args = self._call_args(model_name, method_name, target)
                except (TypeError, ValueError) as exc:
                    failures.append((model_name, method_name,
                                     "cannot build arguments: %s" % exc))
                    continue
                calls += 1
                exc, result = self._attempt(
                    self.portal_user, model_name, method_name, args)
                if isinstance(exc, AccessError):
                    continue
                safe = _portal_safe(model_name, method_name, Model._transient)
                if safe and safe[1](exc, result, target):
                    continue
                failures.append((model_name, method_name,
                                 self._describe(exc, result)))
        # Odoo's own entry points that lead into our code
        for model_name, method_name, args in self._core_entry_points():
            calls += 1
            exc, result = self._attempt(
                self.portal_user, model_name, method_name, args)
            if not isinstance(exc, AccessError):
                failures.append((model_name, method_name,
                                 self._describe(exc, result)))
        self.assertGreater(calls, 100)
        if failures:
            width = max(len(model) for model, _method, _what in failures)
            lines = ["%-*s  %-28s %s" % (width, model, method, what)
                     for model, method, what in failures]
            self.fail("%d of %d calls ran for a portal owner without an "
                      "AccessError:\n%s" % (len(failures), calls,
                                            "\n".join(lines)))

    def test_portal_owner_still_reads_own_unit(self):
        """The sweep does not pass because the owner can do nothing."""
        result = self._rpc(self.portal_user, "property.unit", "read",
                           [[self.portal_unit.id], ["code"]])
        self.assertEqual(result[0]["code"], self.portal_unit.code)
        found = self._rpc(self.portal_user, "property.unit", "search_read",
                          [[], ["code"]])
        self.assertEqual([row["id"] for row in found], [self.portal_unit.id])

    # -- the billing clerk ---------------------------------------------------

    def _kept(self, user, model_name, method_name, args):
        """Call over RPC and keep what the call did (no rollback unless it
        fails): (exception or None, result)."""
        try:
            with self.env.cr.savepoint():
                return None, self._rpc(user, model_name, method_name, args)
        except Exception as exc:  # pylint: disable=broad-except
            return exc, None
        finally:
            self.env.clear()

    def test_clerk_cannot_change_the_ledger(self):
        Ledger = self.env["property.billing.line"]
        line = Ledger.search([("run_id", "=", self.posted_run.id),
                              ("state", "=", "posted")], limit=1)
        self.assertTrue(line, "the run posted a ledger entry: %s" % (
            self.posted_run.ledger_ids.mapped("state"),))
        fields = ["state", "invoice_id", "date_from", "date_to", "amount",
                  "partner_id", "unit_id", "item_id"]
        before = line.read(fields)[0]
        new_entry = [("unit_id", "=", self.unit.id),
                     ("item_id", "=", self.fee_item.id),
                     ("date_from", "=", "2026-05-01")]
        attempts = [
            ("write", [[line.id], {"state": "cancelled"}]),
            ("write", [[line.id], {"date_from": "2026-04-01",
                                   "date_to": "2026-04-30"}]),
            ("write", [[line.id], {"invoice_id": False}]),
            ("unlink", [[line.id]]),
            ("create", [{"unit_id": self.unit.id, "item_id": self.fee_item.id,
                         "date_from": "2026-05-01", "date_to": "2026-05-31",
                         "period": "2026-05", "partner_id": self.owner.id,
                         "state": "posted"}]),
        ]
        problems = []
        for method_name, args in attempts:
            exc, result = self._kept(self.clerk, "property.billing.line",
                                     method_name, args)
            if not isinstance(exc, (AccessError, UserError)):
                problems.append("%s%r: %s" % (method_name, args[1:],
                                              self._describe(exc, result)))
        self.assertEqual(problems, [])
        # refused before anything was written: the entry is as it was
        self.assertTrue(line.exists())
        line.invalidate_cache()
        self.assertEqual(line.read(fields)[0], before)
        self.assertFalse(Ledger.search(new_entry))

    def test_clerk_cannot_change_a_published_standard(self):
        standard = self.standard
        self.assertIn(standard.state, ("published", "active"))
        fields = ["notice_days", "publication_date", "approved_uid",
                  "approved_date", "billable_from"]
        before = standard.read(fields)[0]
        problems = []
        for vals in ({"notice_days": 0},
                     {"publication_date": "2025-01-01"},
                     {"approved_uid": self.clerk.id},
                     {"approved_date": "2025-01-01 08:00:00"}):
            exc, result = self._kept(self.clerk, "property.fee.standard",
                                     "write", [[standard.id], vals])
            if not isinstance(exc, (AccessError, UserError, ValidationError)):
                problems.append("write %r: %s" % (vals,
                                                  self._describe(exc, result)))
            standard.invalidate_cache()
            if standard.read(fields)[0] != before:
                problems.append("write %r changed the standard" % (vals,))
        self.assertEqual(problems, [])
        self.assertEqual(standard.read(fields)[0], before)

    def test_clerk_cannot_store_markup_in_the_run_preview(self):
        run = self.preview_run
        self.assertTrue(run.preview_html, "the preview was computed")
        exc, _result = self._kept(self.clerk, "property.billing.run", "write",
                                  [[run.id], {"preview_html": XSS}])
        if exc is not None:
            self.assertIsInstance(exc, (AccessError, UserError, ValidationError))
        # refused or ignored or sanitised: no live markup is stored
        run.invalidate_cache()
        stored = run.sudo().preview_html or ""
        self.assertNotIn("onerror", stored)
        self.assertNotIn('src="x"', stored)
        # and what a manager opening the run reads holds none either
        shown = self._rpc(self.manager, "property.billing.run", "read",
                          [[run.id], ["preview_html"]])[0]["preview_html"] or ""
        self.assertNotIn("onerror", shown)
