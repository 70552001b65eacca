# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The legal case (诉讼 / 仲裁): demand before suit (民法典 §944) and the
evidence pack (one ZIP with an index PDF)."""
import base64
import io
import zipfile
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tools import config

from odoo.addons.property_billing.tests.common_pdf import (
    PdfReportMixin, flat_text)

from ..models.property_legal_case import PropertyLegalCase
from .common import DunningCase
from .test_demand_letter import DemandLetterMixin


class LegalCaseMixin(DemandLetterMixin):

    def _on(self, day):
        """Today is ``day`` for the legal case."""
        return patch.object(PropertyLegalCase, "_today",
                            lambda self: day)

    def _open_case(self, user=None, day="2026-05-24", **vals):
        values = {"partner_id": self.owner.id, "estate_id": self.estate.id,
                  "kind": "lawsuit", "venue": "浦东新区人民法院"}
        values.update(vals)
        with self._on(day):
            return self.env["property.legal.case"].sudo(
                user or self.manager).create(values)

    def _cases(self):
        return self.env["property.legal.case"].search([
            ("partner_id", "=", self.owner.id)])


class TestLegalCaseDemandBeforeSuit(LegalCaseMixin, DunningCase):

    def test_refused_without_a_demand(self):
        self._bill(100.0, "2026-03", due="2026-03-31")
        self._run("2026-04-05 10:00")  # a reminder only
        with self.assertRaises(UserError) as caught:
            self._open_case()
        self.assertIn("§944", str(caught.exception))
        self.assertIn("No formal demand", str(caught.exception))
        self.assertFalse(self._cases())

    def test_refused_while_the_letter_is_not_delivered(self):
        step = self._demand_step()
        with self.assertRaises(UserError) as caught:
            self._open_case()
        self.assertIn(step.name, str(caught.exception))
        self.assertIn("delivery", str(caught.exception))
        self.assertFalse(self._cases())

    def test_refused_while_the_period_runs_allowed_after(self):
        step = self._demand_step()
        self._record(step)  # delivered 2026-05-08: the period ends 05-23
        with self.assertRaises(UserError) as caught:
            self._open_case(day="2026-05-23")
        self.assertIn("2026-05-23", str(caught.exception))
        self.assertFalse(self._cases())
        case = self._open_case(day="2026-05-24")
        self.assertEqual(case.state, "draft")
        self.assertEqual(case.demand_step_id, step)
        self.assertEqual(case.invoice_ids,
                         self.bill_march | self.bill_april)
        self.assertEqual(case.amount_principal, 150.0)
        # 万分之三 a day to 2026-05-24: 100 × 0.0003 × 54 + 50 × 0.0003 × 34
        self.assertAlmostEqual(case.late_fee, 1.62 + 0.51)
        self.assertAlmostEqual(case.amount_claimed, 152.13)
        self.assertEqual(case.date, "2026-05-24")
        self.assertIn(step, case.step_ids)

    def test_only_bills_the_demand_asked_for(self):
        step = self._demand_step()
        self._record(step)
        later = self._bill(70.0, "2026-05", due="2026-05-20")
        with self.assertRaises(UserError):
            self._open_case(invoice_ids=[(6, 0, (later | self.bill_march).ids)])
        case = self._open_case(invoice_ids=[(6, 0, self.bill_march.ids)])
        self.assertEqual(case.amount_principal, 100.0)
        with self._on("2026-05-24"), self.assertRaises(UserError):
            case.sudo(self.manager).write({"invoice_ids": [(4, later.id)]})
        self.assertEqual(case.invoice_ids, self.bill_march)

    def test_filed_then_closed_with_its_outcome(self):
        step = self._demand_step()
        self._record(step)
        case = self._open_case().sudo(self.manager)
        case.action_file()
        self.assertEqual(case.state, "filed")
        with self.assertRaises(UserError):
            case.write({"invoice_ids": [(5,)]})
        with self.assertRaises(UserError):
            case.action_close()
        self.assertEqual(case.state, "filed")
        case.write({"outcome": "settled",
                    "outcome_note": "调解结案,业主分两期缴清"})
        case.action_close()
        self.assertEqual(case.state, "closed")
        with self.assertRaises(UserError):
            case.write({"state": "draft"})

    def test_clerk_and_portal_user_cannot_open_a_case(self):
        step = self._demand_step()
        self._record(step)
        with self.assertRaises(AccessError):
            self._open_case(user=self.clerk)
        portal = self._create_portal_user(self.owner)
        with self._on("2026-05-24"), self.assertRaises(AccessError):
            self._rpc(portal, "property.legal.case", "create", {
                "partner_id": self.owner.id, "estate_id": self.estate.id})
        self.assertFalse(self._cases())

    def test_clerk_and_portal_user_cannot_act_on_a_case(self):
        step = self._demand_step()
        self._record(step)
        case = self._open_case()
        portal = self._create_portal_user(self.owner)
        for method in ("action_file", "action_close", "action_open_steps",
                       "unlink"):
            with self.assertRaises(AccessError):
                self._rpc(portal, "property.legal.case", method, [case.id])
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.legal.case", "write", [case.id],
                      {"venue": "x"})
        with self.assertRaises(AccessError):
            case.sudo(self.clerk).action_file()
        with self.assertRaises(AccessError):
            case.sudo(self.clerk).write({"venue": "x"})
        self.assertEqual(case.state, "draft")
        self.assertEqual(case.venue, "浦东新区人民法院")
        # the clerk reads the case and its steps
        self.assertEqual(case.sudo(self.clerk).step_ids, self._steps())


class TestEvidencePack(PdfReportMixin, LegalCaseMixin, DunningCase):

    def _zip(self, case, user=None):
        with patch.dict(config.options,
                        {"test_report_directory": self.report_dir}):
            action = case.sudo(user or self.manager).action_export_evidence()
        attachment = case.evidence_attachment_id
        self.assertEqual(action["url"],
                         "/web/content/%s?download=true" % attachment.id)
        self.assertEqual((attachment.res_model, attachment.res_id),
                         ("property.legal.case", case.id))
        return zipfile.ZipFile(io.BytesIO(base64.b64decode(attachment.datas)))

    def test_the_pack_holds_every_piece_with_its_index(self):
        self.owner.lang = "en_US"
        self.env["property.fee.notice"].create({
            "name": "2026 fee standards", "estate_id": self.estate.id,
            "publication_date": "2025-12-20", "is_published": True})
        demand = self._demand_step(reminder=True)
        reminder = self._steps() - demand
        self.assertEqual(reminder.level_id, self.reminder)
        scan = self._proof(self.clerk, "签收单.png")
        self._record(demand, attachment_ids=[(6, 0, scan.ids)])
        case = self._open_case()
        pack = self._zip(case)
        names = pack.namelist()
        self.assertEqual(names[0], "00_Index.pdf")
        # a file name has no slash: INV/2026/0001 reads INV-2026-0001
        first = self.bill_march.number.replace("/", "-")
        second = self.bill_april.number.replace("/", "-")
        self.assertEqual(names[1:], [
            "01_Step %s.txt" % reminder.name,
            "02_Letter %s.pdf" % demand.name,
            "03_Step %s.txt" % demand.name,
            "04_Proof %s 签收单.png" % demand.name,
            "05_Bill %s 2026-03.pdf" % first,
            "06_Bill %s 2026-04.pdf" % second,
            "07_Fee notice 2025-12-20.pdf",
        ])
        for name in names:
            info = pack.getinfo(name)
            self.assertTrue(info.flag_bits & 0x800 or name.isascii())
        for pdf in (n for n in names if n.endswith(".pdf")):
            self.assertEqual(pack.read(pdf)[:4], b"%PDF", pdf)
        # the proof is the uploaded file, the letter the demand's PDF
        self.assertEqual(pack.read(names[4]), b"\x89PNG proof")
        letter = flat_text(self._pdf_text(pack.read(names[2])))
        self.assertIn("151.32", letter)
        self.assertIn("2026-05-21", letter)
        # the reminder's text and when it went out, the letter's delivery
        reminder_text = pack.read(names[1]).decode("utf-8")
        self.assertIn(reminder.body.splitlines()[0], reminder_text)
        self.assertIn("E-mail: Done 2026-04-05", reminder_text)
        demand_text = pack.read(names[3]).decode("utf-8")
        self.assertIn("XA123456789CN", demand_text)
        self.assertIn("2026-05-08", demand_text)
        # the index: the case, the payer, the bills and every file numbered
        text = flat_text(self._pdf_text(pack.read(names[0])))
        self.assertIn(case.name, text)
        self.assertIn(self.owner.name, text)
        self.assertIn("浦东新区人民法院", text)
        self.assertIn("152.13", text)
        squeezed = text.replace(" ", "")
        for name in names[1:]:
            self.assertIn(name.replace(" ", ""), squeezed)
        self.assertIn("Proof of delivery of step %s" % demand.name, text)
        self.assertEqual(case.evidence_attachment_id.name,
                         "Evidence pack %s.zip" % case.name)

    def test_clerk_and_portal_user_cannot_export(self):
        step = self._demand_step()
        self._record(step)
        case = self._open_case()
        with self.assertRaises(AccessError):
            case.sudo(self.clerk).action_export_evidence()
        portal = self._create_portal_user(self.owner)
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.legal.case", "action_export_evidence",
                      [case.id])
        self.assertFalse(case.evidence_attachment_id)
