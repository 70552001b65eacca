"""Reading and checking register spreadsheets (rules.register_import)."""

import datetime
import doctest
import io

import pytest
from hypothesis import given, strategies as st

from property_billing.rules import register_import as ri

TODAY = datetime.date(2026, 3, 1)
HEADER = [
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
GOOD = [
    "CHHY",
    "3号楼",
    "3-2-1502",
    "15",
    "住宅",
    "89.50",
    "72.3",
    "已入住",
    "2018-06-30",
    "张三",
    "13800138000",
    "zs@example.com",
    "微信",
    "是",
    "2019-01-02",
]


def row(**changes):
    values = dict(zip(HEADER, GOOD))
    values.update(changes)
    return [values[key] for key in HEADER]


def parse(*rows, header=HEADER):
    return ri.parse_table([list(header)] + [list(r) for r in rows], today=TODAY)


def test_doctests():
    assert doctest.testmod(ri).failed == 0


def test_good_row_is_parsed_into_unit_and_owner():
    result = parse(row())
    assert result.errors == []
    (unit_row,) = result.rows
    assert unit_row.row == 2
    assert unit_row.estate_code == "CHHY"
    assert unit_row.building == "3号楼"
    assert unit_row.unit == {
        "code": "3-2-1502",
        "floor": 15,
        "unit_type": "residential",
        "area": 89.5,
        "inner_area": 72.3,
        "state": "occupied",
        "delivery_date": datetime.date(2018, 6, 30),
    }
    assert unit_row.owner == {
        "name": "张三",
        "mobile": "13800138000",
        "email": "zs@example.com",
        "channel": "wechat",
        "sms_consent": True,
        "date_from": datetime.date(2019, 1, 2),
    }


@pytest.mark.parametrize(
    "changes, code, params",
    [
        ({"unit_code": ""}, "empty_unit_code", {}),
        ({"estate_code": ""}, "empty_estate_code", {}),
        ({"area": "abc"}, "bad_area", {"value": "abc"}),
        ({"area": "0"}, "bad_area", {"value": "0"}),
        ({"area": "-5"}, "bad_area", {"value": "-5"}),
        ({"area": ""}, "bad_area", {"value": ""}),
        (
            {"inner_area": "95"},
            "inner_area_too_large",
            {"inner_area": "95", "area": "89.50"},
        ),
        ({"inner_area": "x"}, "bad_inner_area", {"value": "x"}),
        ({"floor": "3.5"}, "bad_floor", {"value": "3.5"}),
        ({"unit_type": "别墅"}, "unknown_unit_type", {"value": "别墅"}),
        ({"state": "出租"}, "unknown_state", {"value": "出租"}),
        (
            {"delivery_date": "2018-02-30"},
            "bad_date",
            {"column": "delivery_date", "value": "2018-02-30"},
        ),
        (
            {"owner_since": "soon"},
            "bad_date",
            {"column": "owner_since", "value": "soon"},
        ),
        ({"owner_mobile": "1380013800"}, "bad_mobile", {"value": "1380013800"}),
        ({"owner_mobile": "23800138000"}, "bad_mobile", {"value": "23800138000"}),
        ({"owner_mobile": "021-55551234"}, "bad_mobile", {"value": "021-55551234"}),
        ({"owner_email": "zs@example"}, "bad_email", {"value": "zs@example"}),
        ({"owner_email": "zs example.com"}, "bad_email", {"value": "zs example.com"}),
        ({"contact_channel": "pigeon"}, "unknown_channel", {"value": "pigeon"}),
        (
            {"sms_consent": "maybe"},
            "bad_boolean",
            {"column": "sms_consent", "value": "maybe"},
        ),
        (
            {
                "owner_name": "",
                "owner_email": "",
                "contact_channel": "",
                "sms_consent": "",
                "owner_since": "",
            },
            "owner_name_missing",
            {"columns": "owner_mobile"},
        ),
    ],
)
def test_bad_cell_gives_one_error_on_its_row(changes, code, params):
    result = parse(row(unit_code="1-1-0101"), row(**changes))
    assert result.errors == [(3, code, params)]
    assert [r.row for r in result.rows] == [2]


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"unit_type": "商铺"}, {"unit_type": "commercial"}),
        ({"unit_type": "车位"}, {"unit_type": "parking"}),
        ({"unit_type": "储藏室"}, {"unit_type": "storage"}),
        ({"unit_type": "Parking"}, {"unit_type": "parking"}),
        ({"state": "未交付"}, {"state": "undelivered"}),
        ({"state": "空置"}, {"state": "vacant"}),
        ({"state": "装修中"}, {"state": "decorating"}),
        ({"state": "occupied"}, {"state": "occupied"}),
        ({"delivery_date": "2018/6/30"}, {"delivery_date": datetime.date(2018, 6, 30)}),
        (
            {"delivery_date": "2018年6月30日"},
            {"delivery_date": datetime.date(2018, 6, 30)},
        ),
        ({"delivery_date": "20180630"}, {"delivery_date": datetime.date(2018, 6, 30)}),
        ({"area": "1,089.5㎡", "inner_area": ""}, {"area": 1089.5}),
    ],
)
def test_accepted_spellings_of_unit_values(changes, expected):
    result = parse(row(**changes))
    assert result.errors == []
    for key, value in expected.items():
        assert result.rows[0].unit[key] == value


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"owner_mobile": "+86 138 0013 8000"}, {"mobile": "13800138000"}),
        ({"owner_mobile": "0086-15912345678"}, {"mobile": "15912345678"}),
        ({"owner_mobile": "8618612345678"}, {"mobile": "18612345678"}),
        ({"sms_consent": "否"}, {"sms_consent": False}),
        ({"sms_consent": "no"}, {"sms_consent": False}),
        ({"sms_consent": "1"}, {"sms_consent": True}),
        ({"sms_consent": "YES"}, {"sms_consent": True}),
        ({"contact_channel": "短信"}, {"channel": "sms"}),
        ({"contact_channel": "email"}, {"channel": "email"}),
        ({"owner_email": "ZS@Example.COM"}, {"email": "zs@example.com"}),
        # no owner_since: the owner starts on the delivery date, else today
        ({"owner_since": ""}, {"date_from": datetime.date(2018, 6, 30)}),
        ({"owner_since": "", "delivery_date": ""}, {"date_from": TODAY}),
    ],
)
def test_accepted_spellings_of_owner_values(changes, expected):
    result = parse(row(**changes))
    assert result.errors == []
    for key, value in expected.items():
        assert result.rows[0].owner[key] == value


def test_row_without_owner_has_no_owner():
    result = parse(
        row(
            owner_name="",
            owner_mobile="",
            owner_email="",
            contact_channel="",
            sms_consent="",
            owner_since="",
        )
    )
    assert result.errors == [] and result.rows[0].owner is None


def test_owner_with_name_only_is_accepted():
    result = parse(row(owner_mobile="", owner_email=""))
    assert result.errors == []
    assert result.rows[0].owner["name"] == "张三"
    assert "mobile" not in result.rows[0].owner


def test_several_errors_in_one_row_are_all_listed():
    result = parse(row(area="x", owner_mobile="123", owner_email="bad"))
    assert [(e[0], e[1]) for e in result.errors] == [
        (2, "bad_area"),
        (2, "bad_mobile"),
        (2, "bad_email"),
    ]
    assert result.rows == []


def test_duplicate_unit_code_within_an_estate_points_to_the_first_row():
    result = parse(row(), row(unit_code="1-1-0101"), row(), row(estate_code="JXHT"))
    assert result.errors == [
        (4, "duplicate_unit_code", {"code": "3-2-1502", "first_row": 2})
    ]
    assert [r.row for r in result.rows] == [2, 3, 5]


def test_empty_rows_are_skipped_and_keep_row_numbers():
    result = parse(row(), [""] * len(HEADER), [], row(unit_code="1-1-0101", area="0"))
    assert [r.row for r in result.rows] == [2]
    assert result.errors == [(5, "bad_area", {"value": "0"})]


@pytest.mark.parametrize(
    "header, errors",
    [
        (["estate_code", "unit_code"], [(1, "missing_column", {"column": "area"})]),
        (
            ["楼栋", "房号"],
            [
                (1, "missing_column", {"column": "estate_code"}),
                (1, "missing_column", {"column": "area"}),
            ],
        ),
        (
            ["estate_code", "unit_code", "area", "面积"],
            [(1, "duplicate_column", {"column": "面积"})],
        ),
    ],
)
def test_header_problems_are_reported_on_row_1(header, errors):
    result = parse(["x"] * len(header), header=header)
    assert result.errors == errors
    assert result.rows == []


@pytest.mark.parametrize(
    "header",
    [
        [
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
        ],
        ri.TEMPLATE_HEADER,
        [
            "Estate Code",
            "Building",
            "Unit Code",
            "Floor",
            "Unit Type",
            "Area (m²)",
            "Inner Area",
            "State",
            "Delivery Date",
            "Owner Name",
            "Owner Mobile",
            "Owner Email",
            "Contact Channel",
            "SMS Consent",
            "Owner Since",
        ],
        [
            "小区编码*",
            "楼栋",
            "房号*",
            "楼层",
            "房屋类型",
            "建筑面积（㎡）*",
            "套内面积(㎡)",
            "交付状态",
            "交付日期",
            "业主姓名",
            "手机号码",
            "电子邮箱",
            "联系方式",
            "短信同意",
            "入住日期",
        ],
    ],
)
def test_chinese_english_and_template_headers_are_equivalent(header):
    result = parse(row(), header=header)
    assert result.errors == []
    assert result.rows == parse(row()).rows


# --- files -----------------------------------------------------------------------


def csv_bytes(rows, encoding):
    return "\n".join(",".join(r) for r in rows).encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_gbk(encoding):
    table = ri.read_table(csv_bytes([HEADER, GOOD], encoding), "register.csv")
    assert table[0][0] == "estate_code"
    assert table[1] == GOOD


def test_semicolon_separated_csv_is_read():
    table = ri.read_table(
        "\n".join(";".join(r) for r in [HEADER, GOOD]).encode(), "a.csv"
    )
    assert table[1] == GOOD


def test_xlsx_is_read_with_numbers_and_dates():
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(
        1, 0, ["CHHY", "3号楼", "3-2-1502", 15, "住宅", 89.5, 72.3, "已入住"]
    )
    sheet.write_datetime(1, 8, datetime.datetime(2018, 6, 30), date_format)
    sheet.write_row(1, 9, ["张三", 13800138000, "zs@example.com", "微信", "是"])
    sheet.write_datetime(1, 14, datetime.datetime(2019, 1, 2), date_format)
    book.close()
    table = ri.read_table(out.getvalue(), "register.xlsx")
    result = ri.parse_table(table, today=TODAY)
    assert result.errors == []
    assert result.rows == parse(row()).rows


@pytest.mark.parametrize(
    "data, filename, code",
    [
        (b"%PDF-1.4", "register.pdf", "bad_file_type"),
        (b"not a workbook", "register.xlsx", "bad_spreadsheet"),
        (b"\n\n", "register.csv", "empty_file"),
        (b"\xff\xfe\xfd\xfc\x80\x81", "register.csv", "bad_encoding"),
    ],
)
def test_unreadable_files_are_rejected_with_a_code(data, filename, code):
    with pytest.raises(ri.ImportFileError) as info:
        ri.read_table(data, filename)
    assert info.value.code == code


def test_template_parses_without_errors():
    table = ri.read_table(ri.template_csv().encode("utf-8"), "template.csv")
    result = ri.parse_table(table, today=TODAY)
    assert result.errors == []
    assert len(result.rows) == 3


# --- properties ------------------------------------------------------------------


@given(
    st.integers(min_value=3, max_value=9), st.integers(min_value=0, max_value=10**9 - 1)
)
def test_every_mainland_mobile_spelling_normalizes_to_its_11_digits(second, rest):
    mobile = "1%d%09d" % (second, rest)
    spaced = "%s %s %s" % (mobile[:3], mobile[3:7], mobile[7:])
    for spelling in (
        mobile,
        "+86" + mobile,
        "+86 " + spaced,
        mobile[:3] + "-" + mobile[3:],
    ):
        assert ri.normalize_mobile(spelling) == mobile


@given(
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2999, 12, 31))
)
def test_dates_round_trip_in_every_accepted_spelling(day):
    for text in (
        day.isoformat(),
        day.strftime("%Y/%m/%d"),
        "%d年%d月%d日" % (day.year, day.month, day.day),
        day.strftime("%Y%m%d"),
    ):
        assert ri.parse_date(text) == day


@given(
    st.lists(
        st.sampled_from(["1-1-0101", "1-1-0102", "2-1-0101", "P-0001"]),
        min_size=1,
        max_size=8,
    )
)
def test_each_unit_code_is_imported_once_and_every_repeat_is_an_error(codes):
    result = parse(*[row(unit_code=code) for code in codes])
    assert sorted(r.unit["code"] for r in result.rows) == sorted(set(codes))
    assert len(result.errors) == len(codes) - len(set(codes))
    assert all(e[1] == "duplicate_unit_code" for e in result.errors)
