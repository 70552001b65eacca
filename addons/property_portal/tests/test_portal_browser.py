# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The owner portal in a real browser: headless Chromium at 360×740, driven
by Playwright (tests/browser/drive.py), against the suite served by the test.
Each page must fit the phone's width; screenshots of each step are kept under
test-artifacts/ (git-ignored)."""
import os
import shutil
import struct
import tempfile
import zlib

from odoo import SUPERUSER_ID, api

from odoo.addons.property_billing.tests.common import NO_MAIL_CONTEXT

from .browser import run_browser
from .common import PortalHttpCase
from .test_portal_pay import _bill

ELEVATOR = "property_complaint.complaint_category_repair_elevator"


def png(width=48, height=32):
    """A real PNG picture (a red-to-blue gradient), as a phone would send."""
    rows = b"".join(
        b"\x00" + b"".join(bytes((255 * x // width, 40, 255 - 255 * x // width))
                           for x in range(width))
        for _y in range(height))

    def chunk(kind, data):
        body = kind + data
        return (struct.pack(">I", len(data)) + body
                + struct.pack(">I", zlib.crc32(body) & 0xffffffff))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0,
                                         0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


class TestPortalInTheBrowser(PortalHttpCase):

    def _create_data(self, env):
        company = env.user.company_id
        estate = env["property.estate"].create(
            {"name": "翠湖花园 Browser", "code": "BRW"})
        Unit = env["property.unit"]
        unit = Unit.create({"code": "7-2-0702", "estate_id": estate.id,
                            "area": 96.5})
        other_unit = Unit.create({"code": "7-2-0703", "estate_id": estate.id,
                                  "area": 88.0})
        Partner = env["res.partner"]
        owner = Partner.create({"name": "李秀英", "mobile": "13800000001"})
        self.owner_id = owner.id
        neighbour = Partner.create({"name": "王建国"})
        Occupancy = env["property.occupancy"]
        Occupancy.create({"unit_id": unit.id, "partner_id": owner.id,
                          "role": "owner", "date_from": "2020-01-01"})
        Occupancy.create({"unit_id": other_unit.id, "partner_id": neighbour.id,
                          "role": "owner", "date_from": "2020-01-01"})
        self.bills = [_bill(env, owner, unit, 256.8, "2026-01"),
                      _bill(env, owner, unit, 256.8, "2026-02")]
        self.bill_ids = [bill.id for bill in self.bills]
        self.bill_numbers = [bill.number for bill in self.bills]
        self.neighbour_bill = _bill(env, neighbour, other_unit, 99.0, "2026-01")
        self.neighbour_bill_number = self.neighbour_bill.number
        # the screenshots in Chinese where the database has it
        lang = "zh_CN" if env["res.lang"].search(
            [("code", "=", "zh_CN")]) else "en_US"
        Users = env["res.users"].with_context(no_reset_password=True)
        portal = env.ref("base.group_portal").id
        Users.create({"login": "browser-owner", "password": "browser-pwd",
                      "partner_id": owner.id, "lang": lang,
                      "tz": "Asia/Shanghai",
                      "company_id": company.id,
                      "groups_id": [(6, 0, [portal])]})
        Users.create({"login": "browser-neighbour", "password": "browser-pwd",
                      "partner_id": neighbour.id, "lang": lang,
                      "tz": "Asia/Shanghai",
                      "company_id": company.id,
                      "groups_id": [(6, 0, [portal])]})

    def _assert_fits_the_phone(self, steps):
        for step in steps:
            if "sideways" in step:
                self.assertFalse(step["sideways"], "%s is %d px wide" % (
                    step["url"], step["scroll_width"]))

    def test_owner_finds_a_bill_and_the_transfer_reference(self):
        steps = run_browser([
            {"do": "login", "login": "browser-owner", "password": "browser-pwd"},
            {"do": "visit", "url": "/my/home", "shot": "01-home"},
            {"do": "visit", "url": "/my/bills", "shot": "02-bills"},
            {"do": "visit", "url": "/my/bills/%d" % self.bill_ids[0],
             "shot": "03-bill"},
            {"do": "visit", "url": "/my/pay?bills=%d" % self.bill_ids[0],
             "shot": "04-pay"},
            {"do": "check", "selector": "input[name=method][value=transfer]"},
            {"do": "click", "selector": ".o_property_pay_form button[type=submit]",
             "shot": "05-transfer"},
        ], "owner-transfer")
        self._assert_fits_the_phone(steps)
        _login, home, bills, bill, pay, _check, transfer = steps
        self.assertEqual(home["status"], 200)
        for number in self.bill_numbers:
            self.assertIn(number, bills["text"])
        self.assertNotIn(self.neighbour_bill_number, bills["text"])
        self.assertEqual(bill["status"], 200)
        self.assertIn(self.bill_numbers[0], bill["text"])
        self.assertIn("256.80", pay["text"].replace(",", ""))
        # the memo the statement matching knows: the bill's number
        self.assertIn(self.bill_numbers[0], transfer["text"])
        self.assertIn("256.80", transfer["text"].replace(",", ""))

    def test_another_owner_is_refused_the_first_owners_pages(self):
        steps = run_browser([
            {"do": "login", "login": "browser-neighbour",
             "password": "browser-pwd"},
            {"do": "visit", "url": "/my/bills/%d" % self.bill_ids[0],
             "shot": "01-other-bill"},
            {"do": "visit", "url": "/my/pay?bills=%d" % self.bill_ids[0],
             "shot": "02-other-pay"},
            {"do": "visit", "url": "/my/bills", "shot": "03-own-bills"},
        ], "intruder")
        _login, other_bill, other_pay, own = steps
        self.assertEqual(other_bill["status"], 404)
        self.assertNotIn(self.bill_numbers[0], other_bill["text"])
        self.assertNotIn(self.bill_numbers[0], other_pay["text"])
        self.assertIn(self.neighbour_bill_number, own["text"])
        self.assertNotIn(self.bill_numbers[0], own["text"])

    def test_owner_files_a_complaint_with_a_photo_and_rates_its_resolution(self):
        folder = tempfile.mkdtemp(prefix="property_browser_photo_")
        self.addCleanup(shutil.rmtree, folder, True)
        photo = os.path.join(folder, "lift.png")
        with open(photo, "wb") as handle:
            handle.write(png())
        with self.registry.cursor() as cr:
            category_id = api.Environment(cr, SUPERUSER_ID, {}).ref(
                ELEVATOR).id
        steps = run_browser([
            {"do": "login", "login": "browser-owner", "password": "browser-pwd"},
            {"do": "visit", "url": "/my/complaints/new",
             "shot": "01-new-complaint"},
            {"do": "select", "selector": "select[name=category_id]",
             "value": str(category_id)},
            {"do": "fill", "selector": "textarea[name=description]",
             "value": "7号楼2单元电梯这周停了三次，老人上下楼很困难。"},
            {"do": "upload", "selector": "input[name=photos]", "path": photo},
            {"do": "click", "selector": ".o_property_complaint_form "
                                        "button[type=submit]",
             "shot": "02-complaint-filed"},
        ], "owner-complaint")
        filed = steps[-1]
        self.assertFalse(filed["sideways"])
        self.assertIn("电梯这周停了三次", filed["text"])

        # the service centre fixes the lift and resolves the complaint
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, dict(NO_MAIL_CONTEXT))
            complaint = env["property.complaint"].search(
                [("partner_id", "=", self.owner_id)])
            self.assertEqual(len(complaint), 1)
            self.assertEqual(complaint.category_id.id, category_id)
            photos = env["ir.attachment"].search([
                ("res_model", "=", "property.complaint"),
                ("res_id", "=", complaint.id)])
            self.assertEqual(photos.mapped("mimetype"), ["image/png"])
            complaint.write({"resolution_summary":
                             "已更换电梯门机控制板，连续运行三天无故障。"})
            complaint.action_resolve()
            complaint_id = complaint.id
        path = "/my/complaints/%d" % complaint_id
        self.assertTrue(path in filed["url"], filed["url"])

        steps = run_browser([
            {"do": "login", "login": "browser-owner", "password": "browser-pwd"},
            {"do": "visit", "url": path, "shot": "03-resolved"},
            {"do": "tap", "selector": "form[action$='/rate'] label:has("
                                      "input[name=score][value='5'])"},
            {"do": "fill", "selector": "textarea[name=rating_comment]",
             "value": "修得很快，谢谢师傅！"},
            {"do": "click", "selector": "form[action$='/rate'] "
                                        "button[type=submit]",
             "shot": "04-rated"},
        ], "owner-complaint-rated")
        resolved, rated = steps[1], steps[-1]
        self.assertFalse(resolved["sideways"])
        self.assertIn("已更换电梯门机控制板", resolved["text"])
        self.assertIn("修得很快", rated["text"])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env.cache.invalidate()
            complaint = env["property.complaint"].browse(complaint_id)
            self.assertEqual(complaint.satisfaction, "5")
            self.assertEqual(complaint._stage_code(), "closed")
