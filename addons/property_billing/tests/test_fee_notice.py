# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import subprocess
import tempfile
import unicodedata
from unittest import mock

from odoo.exceptions import AccessError
from odoo.tools import config

from odoo.addons.property_billing.tests.common_fee import FeeCase


# Noto CJK shares glyphs between unified ideographs and radicals, so pdftotext
# may give a radical for an ideograph: NFKC folds the Kangxi radicals (⽔ -> 水);
# the CJK radicals supplement has no decomposition and is mapped here.
RADICALS = str.maketrans({"\u2ecb": "车"})


def pdf_text(pdf):
    """Text of a PDF (bytes) through poppler's pdftotext, normalised."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        text = subprocess.run(
            ["pdftotext", handle.name, "-"], check=True,
            stdout=subprocess.PIPE).stdout.decode("utf-8")
    return unicodedata.normalize("NFKC", text).translate(RADICALS)


class TestFeeNotice(FeeCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.estate.write({"name": "翠湖花园", "service_phone": "021-6888-1234"})
        cls.water = cls._create_fee_item(name="水费", method="metered")
        cls.parking = cls._create_fee_item(name="停车费", method="fixed",
                                           each_label="车位")
        cls.management = cls._create_standard(
            rate=2.80, vacant_percent=70.0, unit_type_residential=True,
            date_from="2026-01-01", legal_basis="《物业服务合同》第五条",
            service_level="二级服务标准")
        cls.water_standard = cls._create_standard(
            cls.water, rate=0.0, cycle="quarterly", timing="arrears",
            date_from="2026-01-01", tier_ids=[
                (0, 0, {"upto": 180, "price": 3.45}),
                (0, 0, {"upto": 260, "price": 4.83}),
                (0, 0, {"upto": 0, "price": 7.72})])
        cls.parking_standard = cls._create_standard(
            cls.parking, rate=300.0, unit_type_parking=True,
            date_from="2026-01-01")
        cls.standards = cls.management | cls.water_standard | cls.parking_standard
        cls.standards.action_approve()
        # published 2025-12-20: 30 days' notice, billing starts 2026-01-19
        cls.notice = cls.standards._publish("2025-12-20")

    def test_one_notice_per_estate_with_every_standard(self):
        self.assertEqual(len(self.notice), 1)
        self.assertEqual(self.notice.standard_ids, self.standards)
        self.assertEqual(self.notice.estate_id, self.estate)
        self.assertEqual(self.notice.publication_date, "2025-12-20")
        self.assertEqual(self.notice.date_start, "2026-01-19")
        self.assertTrue(self.notice.is_published)
        other_estate = self._create_estate()
        elsewhere = self._create_standard(estate_id=other_estate.id)
        both = self._create_standard(self._create_fee_item()) | elsewhere
        both.action_approve()
        notices = both._publish("2026-01-05")
        self.assertEqual(len(notices), 2)
        self.assertEqual(notices.mapped("estate_id"), self.estate | other_estate)

    def test_notice_text(self):
        body = self.notice.body
        for text in ("翠湖花园", "水费", "停车费", "物业管理费", "2026-01-19",
                     "《物业服务合同》第五条", "021-6888-1234", "3.45", "7.72",
                     "180–260", "70%"):
            self.assertIn(text, body)

    def test_portal_visibility_toggle(self):
        Notice = self.env["property.fee.notice"]
        self.assertEqual(Notice._portal_notices(self.estate), self.notice)
        self.assertFalse(Notice._portal_notices(self.estate, today="2025-12-19"))
        self.notice.action_toggle_published()
        self.assertFalse(self.notice.is_published)
        self.assertFalse(Notice._portal_notices(self.estate))
        self.assertEqual(self.notice.portal_url,
                         "/my/fee_notices/%d" % self.notice.id)

    def test_clerk_reads_but_cannot_change_notices(self):
        notice = self.notice.sudo(self.clerk)
        self.assertEqual(notice.estate_id, self.estate)
        with self.assertRaises(AccessError):
            notice.write({"is_published": False})

    def test_pdf_contains_the_chinese_items_and_the_start_date(self):
        report = self.env.ref("property_billing.property_fee_notice_report")
        # pytest-odoo sets test_enable, under which Odoo renders HTML instead of
        # calling wkhtmltopdf unless a report directory is configured.
        with tempfile.TemporaryDirectory() as directory, mock.patch.dict(
                config.options, {"test_report_directory": directory}):
            pdf, report_type = report.render_qweb_pdf(self.notice.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = pdf_text(pdf)
        for expected in ("翠湖花园", "物业管理费", "水费", "停车费", "2026-01-19",
                         "021-6888-1234", "《物业服务合同》第五条"):
            self.assertIn(expected, text)
