# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shared base for the Odoo tests of the property suite.

Other modules' tests import it (``from odoo.addons.property_billing.tests.common
import PropertyCase``) instead of subclassing another module's test class.
Every record is built here through factories with explicit dates: no demo data.
"""
import importlib.util
import itertools
import os

from odoo.models import check_method_name
from odoo.modules.module import get_module_path, get_resource_path
from odoo.service.model import execute_cr
from odoo.tests.common import SavepointCase
from odoo.tools.translate import trans_load

_SEQ = itertools.count(1)

NO_MAIL_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_notrack": True,
    "no_reset_password": True,
}


def load_suite_language(env, lang="zh_CN"):
    """Make ``lang`` active with the suite's own translations of it.

    The test databases differ: ``make test``'s main one has zh_CN, its second
    one (and OCA CI) English only. A test that checks wording in ``lang``
    calls this first; in a test case the language and its terms are rolled
    back with the rest.
    """
    Lang = env["res.lang"]
    if not Lang.search_count([("code", "=", lang)]):
        Lang.load_lang(lang)
    Translation = env["ir.translation"]
    modules = env["ir.module.module"].search([
        ("name", "=like", "property\\_%"), ("state", "=", "installed")])
    for module in modules.mapped("name"):
        path = get_resource_path(module, "i18n", "%s.po" % lang)
        loaded = Translation.search_count(
            [("lang", "=", lang), ("module", "=", module)])
        if path and not loaded:
            trans_load(env.cr, path, lang, verbose=False, module_name=module)
    Translation.clear_caches()
    Translation.invalidate_cache()  # no arguments: the whole record cache


def load_migration(module, version, name="post-migration"):
    """The Python module of the migration script ``name`` of ``module``'s
    ``version`` (``migrations/<version>/<name>.py``), to call its
    ``migrate(cr, installed_version)`` the way the upgrade does."""
    path = os.path.join(get_module_path(module), "migrations", version,
                        "%s.py" % name)
    spec = importlib.util.spec_from_file_location(
        "%s_%s_%s" % (module, version.replace(".", "_"), name.replace("-", "_")),
        path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return migration


class PropertyCase(SavepointCase):
    """An estate with one building, one unit and one owner, plus two users.

    - ``self.estate``, ``self.building``, ``self.unit`` (89.50 m², residential,
      occupied), ``self.owner`` owning ``self.unit`` from 2020-01-01, open-ended;
    - ``self.clerk`` (billing user) and ``self.manager`` (billing manager).
    Factories accept keyword overrides for any field.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **NO_MAIL_CONTEXT))
        cls.company = cls.env.user.company_id
        cls.group_billing_user = cls.env.ref("property_billing.group_billing_user")
        cls.group_billing_manager = cls.env.ref(
            "property_billing.group_billing_manager")
        cls.clerk = cls._create_user(
            "clerk", [cls.group_billing_user.id], name="Billing Clerk")
        cls.manager = cls._create_user(
            "manager", [cls.group_billing_manager.id], name="Billing Manager")
        cls.estate = cls._create_estate()
        cls.building = cls._create_building()
        cls.unit = cls._create_unit()
        cls.owner = cls._create_owner()
        cls.owner_occupancy = cls._create_occupancy()

    # -- factories ---------------------------------------------------------

    @classmethod
    def _load_lang(cls, lang="zh_CN"):
        """``lang`` active with the suite's translations, whatever the database
        has (see ``load_suite_language``)."""
        load_suite_language(cls.env, lang)

    @classmethod
    def _next(cls):
        return next(_SEQ)

    @classmethod
    def _create_user(cls, login, group_ids, company=None, **overrides):
        company = company or cls.company
        vals = {
            "name": login.title(),
            "login": "property_%s_%d" % (login, cls._next()),
            "email": "%s@example.com" % login,
            # the database's default language is zh_CN; tests that check
            # wording set the language they check explicitly
            "lang": "en_US",
            "company_id": company.id,
            "company_ids": [(6, 0, [company.id])],
            "groups_id": [(6, 0, [cls.env.ref("base.group_user").id]
                           + list(group_ids))],
        }
        vals.update(overrides)
        return cls.env["res.users"].with_context(
            no_reset_password=True).create(vals)

    @classmethod
    def _create_estate(cls, **overrides):
        n = cls._next()
        vals = {
            "name": "Green Garden %d" % n,
            "code": "GG%d" % n,
            "city": "Shanghai",
            "service_phone": "021-5555-0000",
        }
        vals.update(overrides)
        return cls.env["property.estate"].create(vals)

    @classmethod
    def _create_building(cls, **overrides):
        n = cls._next()
        vals = {
            "name": "Building %d" % n,
            "code": "B%d" % n,
            "estate_id": cls.estate.id,
            "floor_count": 18,
        }
        vals.update(overrides)
        return cls.env["property.building"].create(vals)

    @classmethod
    def _create_unit(cls, **overrides):
        """A residential unit of ``cls.estate`` in ``cls.building``."""
        n = cls._next()
        estate = overrides.get("estate_id", cls.estate.id)
        vals = {
            "code": "3-2-%04d" % n,
            "estate_id": estate,
            "floor": 15,
            "unit_type": "residential",
            "area": 89.50,
            "inner_area": 72.30,
            "state": "occupied",
            "delivery_date": "2019-06-30",
        }
        if "building_id" not in overrides and estate == cls.estate.id:
            vals["building_id"] = cls.building.id
        vals.update(overrides)
        return cls.env["property.unit"].create(vals)

    @classmethod
    def _create_owner(cls, **overrides):
        n = cls._next()
        vals = {
            "name": "Owner %d" % n,
            "mobile": "1380000%04d" % n,
            "email": "owner%d@example.com" % n,
            "property_contact_channel": "sms",
            "property_sms_consent": True,
            "lang": "en_US",
        }
        vals.update(overrides)
        return cls.env["res.partner"].create(vals)

    @classmethod
    def _create_occupancy(cls, **overrides):
        """By default: ``cls.owner`` owns ``cls.unit`` 100 % from 2020-01-01."""
        vals = {
            "unit_id": cls.unit.id,
            "partner_id": cls.owner.id,
            "role": "owner",
            "share": 100.0,
            "date_from": "2020-01-01",
            "date_to": False,
        }
        vals.update(overrides)
        return cls.env["property.occupancy"].create(vals)

    @classmethod
    def _create_portal_user(cls, partner, login="portal_owner", **overrides):
        """A portal user (an owner signed in to /my) for ``partner``."""
        vals = {
            "partner_id": partner.id,
            "groups_id": [(6, 0, [cls.env.ref("base.group_portal").id])],
        }
        vals.update(overrides)
        return cls._create_user(login, [], **vals)

    @classmethod
    def _create_posted_bill(cls, partner=None, unit=None, amount=250.6,
                            period="2026-03", name="物业管理费"):
        """A validated one-line bill of ``unit`` (default ``cls.unit``) to
        ``partner`` (default ``cls.owner``) for ``period``."""
        partner = partner or cls.owner
        unit = unit or cls.unit
        account = cls.env["account.account"].search([
            ("company_id", "=", cls.company.id),
            ("user_type_id.type", "=", "other")], limit=1)
        invoice = cls.env["account.invoice"].create({
            "partner_id": partner.id, "type": "out_invoice",
            "property_unit_id": unit.id, "billing_period": period,
            "invoice_line_ids": [(0, 0, {
                "name": name, "price_unit": amount, "quantity": 1.0,
                "account_id": account.id})]})
        invoice.action_invoice_open()
        return invoice

    # -- RPC -----------------------------------------------------------------

    def _rpc(self, user, model, method, *args, **kwargs):
        """What /xmlrpc/2/object execute_kw does for ``user``, on the test's
        cursor: private methods refused, rights and rules of ``user``,
        rolled back on error and with a fresh cache, as a request is."""
        check_method_name(method)
        try:
            with self.env.cr.savepoint():
                return execute_cr(self.env.cr, user.id, model, method, *args,
                                  **kwargs)
        finally:
            self.env.cache.invalidate()
