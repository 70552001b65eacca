# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""PDF reports rendered for real (wkhtmltopdf) and read back (pdftotext).

Mix ``PdfReportMixin`` into a test case of the suite: a scratch report folder
per class, ``_render_pdf(report, records)`` and ``_pdf_text(pdf)``, and
``flat_text`` for comparing what a PDF says."""
import re
import shutil
import subprocess
import tempfile
import unicodedata
from unittest.mock import patch

from odoo.tools import config

# pdftotext returns some CJK glyphs of the Noto font as radicals: Kangxi
# radicals (⼩ for 小) fold under NFKC, those of the CJK Radicals Supplement
# (⺠ for 民) do not.
RADICALS = str.maketrans("⺠⻓⻔⻋⻅⻚⻛⻜⻢⻄⻩⻘⻝⻰⻤", "民长门车见页风飞马西黄青食龙鬼")


def flat_text(text):
    """Whitespace collapsed, radicals read as the characters they stand for."""
    text = unicodedata.normalize("NFKC", text).translate(RADICALS)
    return re.sub(r"\s+", " ", text)


def pdf_file_text(path):
    """The text of the PDF file at ``path`` (poppler's pdftotext, layout
    kept)."""
    return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", path, "-"],
                          stdout=subprocess.PIPE, check=True
                          ).stdout.decode("utf-8")


class PdfReportMixin(object):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.report_dir = tempfile.mkdtemp(prefix="property_pdf_")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.report_dir, ignore_errors=True)
        super().tearDownClass()

    def _render_pdf(self, report, records, data=None):
        """``report`` (an ``ir.actions.report``) of ``records`` through
        wkhtmltopdf (tests normally get HTML only)."""
        with patch.dict(config.options,
                        {"test_report_directory": self.report_dir}):
            content, kind = report.render_qweb_pdf(records.ids, data=data)
        self.assertEqual(kind, "pdf")
        self.assertTrue(content.startswith(b"%PDF"), content[:200])
        return content

    def _pdf_text(self, pdf):
        with tempfile.NamedTemporaryFile(
                suffix=".pdf", dir=self.report_dir) as handle:
            handle.write(pdf)
            handle.flush()
            return pdf_file_text(handle.name)
