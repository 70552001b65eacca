# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Import of units and owners (wizard property.register.import)."""
import base64
import datetime
import io

import xlsxwriter

from odoo.exceptions import UserError

from .common import PropertyCase

HEADER = [
    "小区编码",
    "楼栋",
    "房号",
    "楼层",
    "房屋类型",
    "建筑面积",
    "套内面积",
    "状态",
    "交付日期",
    "业主姓名",
    "手机",
    "邮箱",
    "联系方式",
    "短信同意",
    "入住日期",
]


class TestRegisterImport(PropertyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.target = cls._create_estate(code="IMP", name="翠湖花园")
        cls.rows = [
            [
                "IMP",
                "3号楼",
                "3-2-1502",
                "15",
                "住宅",
                "89.50",
                "72.30",
                "已入住",
                "2018-06-30",
                "张三",
                "13800138000",
                "zhangsan@example.com",
                "微信",
                "是",
                "2018-07-15",
            ],
            [
                "IMP",
                "3号楼",
                "3-2-1501",
                "15",
                "住宅",
                "120",
                "",
                "空置",
                "2018-06-30",
                "李四",
                "+86 139 0013 9000",
                "",
                "短信",
                "否",
                "2018-08-01",
            ],
            [
                "IMP",
                "",
                "P-0012",
                "-1",
                "车位",
                "12.5",
                "",
                "已入住",
                "2018-06-30",
                "张三",
                "13800138000",
                "",
                "",
                "",
                "2018-07-15",
            ],
            [
                "IMP",
                "1号楼",
                "1-1-0101",
                "1",
                "商铺",
                "150",
                "130",
                "未交付",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
        ]

    # -- helpers ----------------------------------------------------------------------

    def _csv(self, rows, encoding="utf-8", header=None):
        text = "\r\n".join(",".join(r) for r in [header or HEADER] + rows)
        return text.encode(encoding)

    def _run(self, data, filename="register.csv", user=None):
        wizard = self.env["property.register.import"]
        if user:
            wizard = wizard.sudo(user)
        wizard = wizard.create(
            {"data_file": base64.b64encode(data), "filename": filename}
        )
        action = wizard.action_import()
        self.assertEqual(action["res_model"], "property.register.import")
        self.assertEqual(action["res_id"], wizard.id)
        return wizard

    def _units(self):
        return self.env["property.unit"].search([("estate_id", "=", self.target.id)])

    def _unit(self, code):
        return self._units().filtered(lambda u: u.code == code)

    def _assert_imported(self, wizard):
        self.assertEqual(wizard.state, "done", wizard.result_html)
        units = self._units()
        self.assertEqual(
            sorted(units.mapped("code")), ["1-1-0101", "3-2-1501", "3-2-1502", "P-0012"]
        )
        flat = self._unit("3-2-1502")
        self.assertEqual(flat.building_id.name, "3号楼")
        self.assertEqual(flat.building_id.estate_id, self.target)
        self.assertEqual(flat.floor, 15)
        self.assertEqual(flat.unit_type, "residential")
        self.assertAlmostEqual(flat.area, 89.5)
        self.assertAlmostEqual(flat.inner_area, 72.3)
        self.assertEqual(flat.state, "occupied")
        self.assertEqual(flat.delivery_date, "2018-06-30")
        zhang = flat.owner_ids
        self.assertEqual(zhang.mapped("name"), ["张三"])
        self.assertEqual(zhang.mobile, "13800138000")
        self.assertEqual(zhang.email, "zhangsan@example.com")
        self.assertEqual(zhang.property_contact_channel, "wechat")
        self.assertTrue(zhang.property_sms_consent)
        self.assertEqual(flat.occupancy_ids.date_from, "2018-07-15")
        # the same owner (same mobile) for the flat and the parking space
        parking = self._unit("P-0012")
        self.assertEqual(parking.owner_ids, zhang)
        self.assertFalse(parking.building_id)
        self.assertEqual(parking.unit_type, "parking")
        li = self._unit("3-2-1501").owner_ids
        self.assertEqual(li.name, "李四")
        self.assertEqual(li.property_contact_channel, "sms")
        self.assertFalse(li.property_sms_consent)
        shop = self._unit("1-1-0101")
        self.assertEqual((shop.unit_type, shop.state), ("commercial", "undelivered"))
        self.assertFalse(shop.occupancy_ids)
        self.assertEqual(self._unit("3-2-1502").payer_id, zhang)
        # summary shown on the wizard
        self.assertEqual(wizard.unit_created_count, 4)
        self.assertEqual(wizard.building_created_count, 2)
        self.assertEqual(wizard.owner_created_count, 2)
        self.assertEqual(wizard.occupancy_created_count, 3)
        self.assertIn("Units created: 4", wizard.result_html)
        self.assertIn("Owners created: 2", wizard.result_html)

    # -- good files -------------------------------------------------------------------

    def test_utf8_csv_imports_units_buildings_and_owners(self):
        self._assert_imported(self._run(self._csv(self.rows)))

    def test_utf8_csv_with_bom_and_english_headers(self):
        header = [
            "estate_code",
            "building",
            "unit_code",
            "floor",
            "unit_type",
            "area",
            "inner_area",
            "state",
            "delivery_date",
            "owner_name",
            "owner_mobile",
            "owner_email",
            "contact_channel",
            "sms_consent",
            "owner_since",
        ]
        self._assert_imported(
            self._run(self._csv(self.rows, "utf-8-sig", header=header))
        )

    def test_gbk_csv_keeps_the_chinese_names(self):
        data = self._csv(self.rows, "gbk")
        with self.assertRaises(UnicodeDecodeError):
            data.decode("utf-8")
        self._assert_imported(self._run(data))

    def test_xlsx_built_with_xlsxwriter_imports(self):
        out = io.BytesIO()
        book = xlsxwriter.Workbook(out, {"in_memory": True})
        sheet = book.add_worksheet()
        date_format = book.add_format({"num_format": "yyyy-mm-dd"})
        sheet.write_row(0, 0, HEADER)
        for index, row in enumerate(self.rows, start=1):
            for col, value in enumerate(row):
                if col in (8, 14) and value:
                    sheet.write_datetime(
                        index,
                        col,
                        datetime.datetime.strptime(value, "%Y-%m-%d"),
                        date_format,
                    )
                elif col in (3, 5, 6) and value:
                    sheet.write_number(index, col, float(value))
                elif col == 10 and value.isdigit():
                    sheet.write_number(index, col, int(value))
                else:
                    sheet.write_string(index, col, value)
        book.close()
        self._assert_imported(self._run(out.getvalue(), "register.xlsx"))

    def test_reimporting_the_same_file_changes_nothing(self):
        data = self._csv(self.rows)
        self._run(data)
        partners = self.env["res.partner"].search_count([])
        occupancies = self.env["property.occupancy"].search_count([])
        buildings = self.env["property.building"].search_count([])
        again = self._run(data)
        self.assertEqual(again.state, "done", again.result_html)
        self.assertEqual(len(self._units()), 4)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        self.assertEqual(self.env["property.occupancy"].search_count([]), occupancies)
        self.assertEqual(self.env["property.building"].search_count([]), buildings)
        self.assertEqual(
            (
                again.unit_created_count,
                again.unit_updated_count,
                again.owner_created_count,
                again.occupancy_created_count,
            ),
            (0, 0, 0, 0),
        )

    def test_reimport_updates_changed_units_and_records_an_owner_change(self):
        self._run(self._csv(self.rows))
        old_owner = self._unit("3-2-1501").owner_ids
        changed = [list(r) for r in self.rows]
        changed[1][5] = "121.5"  # area corrected
        changed[1][7] = "已入住"
        changed[1][9:15] = ["王五", "15800001111", "", "", "", "2026-05-01"]
        wizard = self._run(self._csv(changed))
        self.assertEqual(wizard.state, "done", wizard.result_html)
        self.assertEqual(wizard.unit_updated_count, 1)
        self.assertEqual(wizard.unit_created_count, 0)
        unit = self._unit("3-2-1501")
        self.assertAlmostEqual(unit.area, 121.5)
        self.assertEqual(unit.state, "occupied")
        owners = unit.occupancy_ids.sorted("date_from")
        self.assertEqual(owners.mapped("partner_id.name"), ["李四", "王五"])
        self.assertEqual(owners[0].partner_id, old_owner)
        self.assertEqual(owners[0].date_to, "2026-04-30")
        self.assertFalse(owners[1].date_to)
        self.assertEqual([p.name for p, _s in unit._get_payers("2026-04-30")], ["李四"])
        self.assertEqual([p.name for p, _s in unit._get_payers("2026-05-01")], ["王五"])

    def test_existing_partner_is_found_by_mobile_in_another_spelling(self):
        known = self._create_owner(name="张三", mobile="+86 138 0013 8000", email=False)
        wizard = self._run(self._csv(self.rows))
        self.assertEqual(wizard.owner_created_count, 1)  # only 李四
        self.assertEqual(self._unit("3-2-1502").owner_ids, known)

    # -- bad files --------------------------------------------------------------------

    def test_two_bad_rows_import_nothing_and_list_both(self):
        rows = [list(r) for r in self.rows]
        rows[1][5] = "abc"  # row 3: area
        rows[3][10] = "12345"  # row 5: mobile without name
        before = self.env["property.unit"].search_count([])
        partners = self.env["res.partner"].search_count([])
        wizard = self._run(self._csv(rows))
        self.assertEqual(wizard.state, "error")
        self.assertEqual(wizard.error_count, 2)
        self.assertEqual(self.env["property.unit"].search_count([]), before)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        html = wizard.result_html
        self.assertIn("Nothing was imported: 2 error(s) found", html)
        self.assertIn(
            "<tr><td>3</td><td>The building area must be a number greater than 0 "
            "(got 'abc').</td></tr>",
            html,
        )
        self.assertIn(
            "<tr><td>5</td><td>Owner details (手机) are filled in but the owner "
            "name is empty.</td></tr>",
            html,
        )

    def test_every_kind_of_bad_row_is_reported_with_its_row_number(self):
        good = self.rows[0]

        def bad(**cells):
            row = list(good)
            for index, value in cells.items():
                row[int(index[1:])] = value
            return row

        rows = [
            bad(c0="NOPE", c2="A-1"),  # 2 unknown estate
            bad(c2=""),  # 3 empty unit code
            bad(c2="A-3", c5="0"),  # 4 area <= 0
            bad(c2="A-4", c6="95"),  # 5 inner > area
            bad(c2="A-5", c4="别墅"),  # 6 unknown type
            bad(c2="A-6", c7="出租"),  # 7 unknown state
            bad(c2="A-7", c8="2018-13-01"),  # 8 bad date
            bad(c2="A-8", c10="1380013800"),  # 9 bad mobile
            bad(c2="A-9", c11="no-at-sign"),  # 10 bad e-mail
            bad(c2="A-1"),  # 11 good
            bad(c2="A-1"),  # 12 duplicate of row 11
        ]
        wizard = self._run(self._csv(rows))
        self.assertEqual(wizard.state, "error")
        html = wizard.result_html
        expected = [
            (2, "There is no estate with code 'NOPE' in your company."),
            (3, "The unit code is empty."),
            (4, "The building area must be a number greater than 0 (got '0')."),
            (5, "The inner area (95) is larger than the building area (89.50)."),
            (6, "Unknown unit type '别墅'"),
            (7, "Unknown state '出租'"),
            (8, "'2018-13-01' in column '交付日期' is not a date"),
            (9, "'1380013800' is not a mobile number"),
            (10, "'no-at-sign' is not an e-mail address."),
            (12, "Unit code 'A-1' already appears in row 11."),
        ]
        for row, message in expected:
            self.assertIn("<tr><td>%d</td><td>%s" % (row, message), html)
        self.assertEqual(wizard.error_count, len(expected))
        self.assertFalse(self._units())

    def test_missing_required_column_is_reported_on_row_1(self):
        header = [h for h in HEADER if h != "建筑面积"]
        rows = [r[:5] + r[6:] for r in self.rows]
        wizard = self._run(self._csv(rows, header=header))
        self.assertEqual(wizard.state, "error")
        self.assertIn(
            "<tr><td>1</td><td>Required column 'area' is missing", wizard.result_html
        )
        self.assertFalse(self._units())

    def test_other_file_types_are_refused_with_a_clear_message(self):
        wizard = self.env["property.register.import"].create(
            {"data_file": base64.b64encode(b"%PDF-1.4 ..."), "filename": "register.pdf"}
        )
        with self.assertRaisesRegex(
            UserError, "'register.pdf' is not a CSV, XLSX or XLS file"
        ):
            wizard.action_import()

    def test_owner_starting_after_the_new_one_is_a_conflict(self):
        self._run(self._csv(self.rows))
        rows = [list(r) for r in self.rows]
        rows[0][9:15] = ["赵六", "18600001111", "", "", "", "2018-07-01"]  # before 张三
        wizard = self._run(self._csv(rows))
        self.assertEqual(wizard.state, "error")
        self.assertIn(
            "<tr><td>2</td><td>The unit already has owner 张三 since 2018-07-15",
            wizard.result_html,
        )
        self.assertEqual(self._unit("3-2-1502").owner_ids.name, "张三")

    def test_template_download_and_template_content(self):
        wizard = self.env["property.register.import"].create({})
        action = wizard.action_download_template()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertTrue(action["url"].endswith("register_import_template.csv"))

    def test_errors_are_listed_in_the_importing_users_language(self):
        """Row errors come in the language of the user who imports."""
        rows = [list(self.rows[0])]
        rows[0][5] = "-1"
        data = self._csv(rows)
        self._load_lang("zh_CN")
        self.manager.lang = "zh_CN"
        wizard = self._run(data, user=self.manager)
        self.assertEqual(wizard.state, "error")
        self.assertIn("<tr><td>2</td>", wizard.result_html)
        self.assertIn("建筑面积必须是大于 0 的数字", wizard.result_html)
        self.assertIn("未导入任何数据", wizard.result_html)
        self.clerk.lang = "en_US"
        wizard = self._run(data, user=self.clerk)
        self.assertIn("<tr><td>2</td>", wizard.result_html)
        self.assertIn("(got '-1')", wizard.result_html)
