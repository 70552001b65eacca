# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Uploaded files within bounds: rights checked before a file is read, size,
rows, columns and cells limited with a clear message, a spreadsheet's
declared dimension not trusted; wizard answers that XML-RPC can marshal."""
import base64
import io
import re
import xmlrpc.client
import zipfile

import xlsxwriter

from odoo.exceptions import AccessError, UserError

from .common import PropertyCase

HEADER = ["estate_code", "unit_code", "area", "owner_name", "owner_mobile"]


def xlsx(rows):
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return out.getvalue()


def patch_sheet(data, dimension="A1:XFD1048576", extra_xml=b""):
    """``data`` (an XLSX) with the first sheet's declared dimension replaced
    and ``extra_xml`` appended to its sheet data: a few KB declaring a sheet
    of 17 billion cells."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    target = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
    for info in source.infolist():
        content = source.read(info.filename)
        if info.filename == "xl/worksheets/sheet1.xml":
            content = re.sub(rb'<dimension ref="[^"]*"/>',
                             b'<dimension ref="%s"/>' % dimension.encode(),
                             content)
            content = content.replace(b"</sheetData>",
                                      extra_xml + b"</sheetData>")
        target.writestr(info, content)
    target.close()
    return out.getvalue()


class TestImportLimits(PropertyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.target = cls._create_estate(code="LIM", name="锦绣华庭")
        cls.portal_user = cls._create_user(
            "portal", [], groups_id=[(6, 0, [cls.env.ref("base.group_portal").id])])
        cls.employee = cls._create_user("employee", [])
        cls.rows = [["LIM", "1-1-0101", "89.5", "张三", "13800138000"],
                    ["LIM", "1-1-0102", "120", "李四", "13900139000"]]

    def _csv(self, rows, header=None):
        lines = [header or HEADER] + rows
        return "\r\n".join(",".join(row) for row in lines).encode("utf-8")

    def _wizard(self, data, filename, user=None,
                model="property.register.import"):
        Wizard = self.env[model]
        if user:
            Wizard = Wizard.sudo(user)
        return Wizard.create({"data_file": base64.b64encode(data),
                              "filename": filename})

    def _refused(self, data, filename="register.csv", user=None):
        """The UserError's message; nothing imported."""
        wizard = self._wizard(data, filename, user=user or self.clerk)
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        self.assertFalse(self._units())
        return caught.exception.name

    def _units(self):
        return self.env["property.unit"].search(
            [("estate_id", "=", self.target.id)])

    # -- rights first ------------------------------------------------------------------

    def test_portal_user_gets_access_error_before_the_file_is_read(self):
        # a file that breaks the reader: the rights are checked before it
        bad = self._csv(self.rows).replace(b"89.5", b"89\x005")
        for user in (self.portal_user, self.employee):
            wizard = self._wizard(bad, "register.csv", user=user)
            with self.assertRaises(AccessError):
                wizard.action_import()
            wizard = self._wizard(bad, "readings.csv", user=user,
                                  model="property.meter.reading.import")
            with self.assertRaises(AccessError):
                wizard.action_import()
        self.assertFalse(self._units())

    # -- CSV -------------------------------------------------------------------------

    def test_csv_with_nul_byte_is_refused_clearly(self):
        message = self._refused(
            self._csv(self.rows).replace(b"89.5", b"89\x005"))
        self.assertIn("NUL", message)
        self.assertIn("Row 2", message)

    def test_csv_with_200_kib_field_is_refused_clearly(self):
        rows = [self.rows[0], ["LIM", "1-1-0102", "120", "李" * 200 * 1024, ""]]
        message = self._refused(self._csv(rows))
        self.assertIn("Row 3", message)
        self.assertIn("1000", message)

    def test_cell_over_the_limit_is_refused_with_its_place(self):
        rows = [self.rows[0], ["LIM", "1-1-0102", "120", "x" * 1001, ""]]
        message = self._refused(self._csv(rows))
        self.assertIn("Row 3, column 4", message)
        self.assertIn("1000 characters", message)

    def test_too_many_rows_are_refused(self):
        rows = [["LIM", "R-%05d" % n, "50"] for n in range(20001)]
        message = self._refused(self._csv(rows, header=HEADER[:3]))
        self.assertIn("more than 20000 rows", message)

    def test_too_many_columns_are_refused(self):
        header = HEADER + ["extra_%d" % n for n in range(96)]
        message = self._refused(self._csv([self.rows[0] + ["x"] * 96],
                                          header=header))
        self.assertIn("Row 1 has more than 100 columns", message)

    def test_file_over_the_size_limit_is_refused(self):
        data = self._csv(self.rows) + b"\r\n" + b" " * (10 * 1024 * 1024)
        message = self._refused(data)
        self.assertIn("too large", message)
        self.assertIn("10 MB", message)

    def test_meter_reading_import_has_the_same_limits(self):
        wizard = self._wizard(b"estate_code,meter_code\r\nLIM,W\x001\r\n",
                              "readings.csv", user=self.clerk,
                              model="property.meter.reading.import")
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        self.assertIn("NUL", caught.exception.name)

    # -- XLSX ------------------------------------------------------------------------

    def test_xlsx_declaring_a_huge_sheet_imports_its_rows(self):
        data = patch_sheet(xlsx([HEADER] + self.rows))
        self.assertLess(len(data), 10 * 1024)
        wizard = self._wizard(data, "register.xlsx", user=self.clerk)
        wizard.action_import()
        self.assertEqual(wizard.state, "done", wizard.result_html)
        self.assertEqual(sorted(self._units().mapped("code")),
                         ["1-1-0101", "1-1-0102"])

    def test_xlsx_with_a_cell_at_its_last_row_and_column_is_refused(self):
        far = (b'<row r="1048576"><c r="XFD1048576" t="inlineStr">'
               b'<is><t>x</t></is></c></row>')
        data = patch_sheet(xlsx([HEADER] + self.rows), extra_xml=far)
        message = self._refused(data, "register.xlsx")
        self.assertIn("more than 20000 rows", message)

    def test_xlsx_too_wide_is_refused(self):
        wide = (b'<row r="4"><c r="ZZ4" t="inlineStr">'
                b'<is><t>x</t></is></c></row>')
        data = patch_sheet(xlsx([HEADER] + self.rows), extra_xml=wide)
        message = self._refused(data, "register.xlsx")
        self.assertIn("Row 4 has more than 100 columns", message)

    # -- XML-RPC answers -------------------------------------------------------------

    def test_wizard_answers_marshal_over_xmlrpc(self):
        """As Odoo's XML-RPC endpoint does: dispatch, then marshal."""
        context = {"lang": "en_US", "tz": "Asia/Shanghai"}
        wizard_id = self._rpc(
            self.clerk, "property.register.import", "create",
            {"data_file": base64.b64encode(self._csv(self.rows)).decode(),
             "filename": "register.csv"}, context=context)
        for method in ("action_import", "action_retry"):
            result = self._rpc(
                self.clerk, "property.register.import", method, [wizard_id],
                context=context)
            xmlrpc.client.dumps((result,), methodresponse=1, allow_none=False)
            self.assertEqual(result["res_id"], wizard_id)
            self.assertEqual(result["context"]["lang"], "en_US")
        self.assertEqual(len(self._units()), 2)
        reading_id = self._rpc(
            self.clerk, "property.meter.reading.import", "create",
            {"filename": "readings.csv"}, context=context)
        result = self._rpc(
            self.clerk, "property.meter.reading.import", "action_retry",
            [reading_id], context=context)
        xmlrpc.client.dumps((result,), methodresponse=1, allow_none=False)
