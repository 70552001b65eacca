"""Reading bank statement exports with a saved mapping
(property_payment.rules.statement_files)."""
import datetime
import doctest
import io
from decimal import Decimal

import openpyxl
import pytest
import xlwt

from property_payment.rules import statement_files as sf

D = Decimal

# a typical Chinese bank export: preamble, header, debit/credit columns, totals
PREAMBLE = [
    ["账号", "6222 0000 1111 2222"],
    ["户名", "某某物业服务有限公司"],
    ["起止日期", "2026-03-01 至 2026-03-31"],
]
HEADER = ["交易日期", "交易时间", "借方发生额", "贷方发生额", "余额",
          "对方户名", "对方账号", "摘要", "流水号"]
ROWS = [
    ["20260305", "09:30:12", "", "1,200.50", "11,200.50", "王䶮",
     "6222 0200 0000 0001", "物业费 INV/2026/0001", "SN0001"],
    ["20260306", "14:02:00", "35.00", "", "11,165.50", "某银行",
     "", "手续费", "SN0002"],
    ["20260307", "10:00:00", "", "500.00", "11,665.50", "𠀀先生",
     "", "3-2-1502 物业费", "SN0003"],
]
FOOTER = [["合计", "", "35.00", "1,700.50", "", "", "", "", ""],
          ["期末余额", "", "", "", "11,665.50", "", "", "", ""]]

MAPPING = {
    "skip_header": 3, "skip_footer": 2,
    "date_column": "交易日期", "time_column": "交易时间",
    "debit_column": "借方发生额", "credit_column": "贷方发生额",
    "balance_column": "余额", "name_column": "对方户名",
    "account_column": "对方账号", "memo_column": "摘要",
    "serial_column": "流水号", "date_formats": ["%Y%m%d", "%Y-%m-%d"],
}


def csv_bytes(rows, encoding="gb18030", delimiter=","):
    lines = [delimiter.join('"%s"' % cell if "," in cell else cell
                            for cell in row) for row in rows]
    return "\r\n".join(lines).encode(encoding)


def xlsx_bytes(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xls_bytes(rows):
    book = xlwt.Workbook()
    sheet = book.add_sheet("statement")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def codes(result):
    return [(row, code) for row, code, _params in result.errors]


def test_doctests():
    assert doctest.testmod(sf).failed == 0


def test_rare_characters_need_gb18030_not_gbk():
    for name in ("王䶮", "𠀀先生"):
        with pytest.raises(UnicodeEncodeError):
            name.encode("gbk")
        assert name.encode("gb18030").decode("gb18030") == name


def test_chinese_bank_csv_in_gb18030():
    data = csv_bytes(PREAMBLE + [HEADER] + ROWS + FOOTER)
    result = sf.parse(data, "对账单.csv", MAPPING)
    assert result.errors == []
    first, fee, second = result.transactions
    assert (first.row, first.date, first.time, first.amount) == (
        5, datetime.date(2026, 3, 5), datetime.time(9, 30, 12), D("1200.50"))
    assert first.name == "王䶮"
    assert first.account == "6222 0200 0000 0001"
    assert first.memo == "物业费 INV/2026/0001"
    assert first.serial == "SN0001"
    assert first.import_id == "2026-03-05-SN0001"
    assert fee.amount == D("-35.00")  # 借方: money out
    assert second.name == "𠀀先生" and second.amount == D("500.00")
    assert result.balance_start == D("10000.00")
    assert result.balance_end == D("11665.50")
    assert (result.date_from, result.date_to) == (
        datetime.date(2026, 3, 5), datetime.date(2026, 3, 7))


def test_gbk_in_a_mapping_still_reads_gb18030():
    data = csv_bytes(PREAMBLE + [HEADER] + ROWS + FOOTER)
    result = sf.parse(data, "s.csv", dict(MAPPING, encoding="gbk"))
    assert result.errors == []
    assert result.transactions[0].name == "王䶮"


def test_utf8_file_with_bom_reads_whatever_the_mapping():
    data = b"\xef\xbb\xbf" + csv_bytes(
        PREAMBLE + [HEADER] + ROWS + FOOTER, "utf-8")
    result = sf.parse(data, "s.csv", MAPPING)
    assert [t.name for t in result.transactions] == ["王䶮", "某银行", "𠀀先生"]


def test_xlsx_built_with_openpyxl_with_real_dates_and_numbers():
    rows = [list(row) for row in ROWS]
    rows[0][0] = datetime.datetime(2026, 3, 5, 9, 30, 12)
    rows[0][3] = 1200.5
    rows[0][4] = 11200.5
    rows[2][3] = 500
    data = xlsx_bytes(PREAMBLE + [HEADER] + rows + FOOTER)
    result = sf.parse(data, "statement.xlsx", MAPPING)
    assert result.errors == []
    first = result.transactions[0]
    assert (first.date, first.amount, first.row) == (
        datetime.date(2026, 3, 5), D("1200.50"), 5)
    assert result.transactions[2].amount == D("500.00")
    assert result.transactions[2].name == "𠀀先生"


def test_xls_file():
    data = xls_bytes(PREAMBLE + [HEADER] + ROWS + FOOTER)
    result = sf.parse(data, "statement.xls", MAPPING)
    assert result.errors == []
    assert [t.amount for t in result.transactions] == [
        D("1200.50"), D("-35.00"), D("500.00")]


def test_header_row_is_found_below_a_longer_preamble():
    data = csv_bytes(PREAMBLE + [["币种", "人民币"]] + [HEADER] + ROWS + FOOTER)
    result = sf.parse(data, "s.csv", MAPPING)
    assert result.errors == []
    assert result.transactions[0].row == 6


def test_single_signed_amount_column_and_column_numbers_without_header():
    rows = [["2026/03/05", "-12.00", "SN1", "电费"],
            ["2026/03/06", "300", "SN2", "3-2-1502"]]
    mapping = {"has_header": False, "date_column": 1, "amount_column": "2",
               "serial_column": 3, "memo_column": 4,
               "date_formats": "%Y/%m/%d\n%Y%m%d"}
    result = sf.parse(csv_bytes(rows, "utf-8"), "s.csv",
                      dict(mapping, encoding="utf-8"))
    assert result.errors == []
    assert [(t.row, t.amount, t.memo) for t in result.transactions] == [
        (1, D("-12.00"), "电费"), (2, D("300.00"), "3-2-1502")]
    inverse = sf.parse(csv_bytes(rows, "utf-8"), "s.csv",
                       dict(mapping, encoding="utf-8", inverse_sign=True))
    assert [t.amount for t in inverse.transactions] == [D("12.00"),
                                                        D("-300.00")]


def test_european_separators_and_semicolons():
    rows = [["Datum", "Betrag", "Ref"], ["05.03.2026", "1.200,50", "A1"]]
    mapping = {"date_column": "Datum", "amount_column": "Betrag",
               "serial_column": "Ref", "date_formats": ["%d.%m.%Y"],
               "thousands_sep": ".", "decimal_sep": ",", "delimiter": ";",
               "encoding": "utf-8"}
    result = sf.parse(csv_bytes(rows, "utf-8", ";"), "s.csv", mapping)
    assert result.errors == []
    assert result.transactions[0].amount == D("1200.50")


def test_missing_header_column_names_the_column_and_row():
    header = [cell for cell in HEADER if cell != "流水号"]
    data = csv_bytes(PREAMBLE + [header] + [row[:-1] for row in ROWS])
    result = sf.parse(data, "s.csv", MAPPING)
    assert result.transactions == []
    assert result.errors == [(4, "missing_column", {"column": "流水号"})]


def test_bad_amount_and_date_rows_are_reported_with_row_and_column():
    rows = [list(row) for row in ROWS]
    rows[0][3] = "12O.00"          # a letter O
    rows[2][0] = "2026-13-01"
    data = csv_bytes(PREAMBLE + [HEADER] + rows + FOOTER)
    result = sf.parse(data, "s.csv", MAPPING)
    assert result.transactions == []
    assert result.errors == [
        (5, "bad_amount", {"column": "贷方发生额", "value": "12O.00"}),
        (7, "bad_date", {"column": "交易日期", "value": "2026-13-01"}),
    ]


def test_debit_and_credit_on_one_row_and_no_amount_are_errors():
    rows = [list(row) for row in ROWS]
    rows[0][2] = "1.00"
    rows[1][2] = ""
    data = csv_bytes(PREAMBLE + [HEADER] + rows + FOOTER)
    assert codes(sf.parse(data, "s.csv", MAPPING)) == [
        (5, "debit_and_credit"), (6, "empty_amount")]


def test_footer_rows_not_skipped_are_errors_not_transactions():
    data = csv_bytes(PREAMBLE + [HEADER] + ROWS + FOOTER)
    result = sf.parse(data, "s.csv", dict(MAPPING, skip_footer=0))
    assert result.transactions == []
    assert (8, "bad_date") in codes(result)


def test_duplicate_serial_and_empty_serial():
    rows = [list(row) for row in ROWS]
    rows[2][8] = ""
    data = csv_bytes(PREAMBLE + [HEADER] + ROWS + [ROWS[0]] + rows[2:])
    assert codes(sf.parse(data, "s.csv", dict(MAPPING, skip_footer=0))) == [
        (8, "duplicate_serial"), (9, "empty_serial")]


def test_utf8_file_read_with_a_gb18030_mapping_says_wrong_encoding():
    data = csv_bytes(PREAMBLE + [HEADER] + ROWS + FOOTER, "utf-8")
    result = sf.parse(data, "s.csv", MAPPING)
    assert result.transactions == []
    assert result.errors == [(0, "wrong_encoding", {
        "encoding": "gb18030", "detected": "UTF-8"})]


def test_gb18030_file_read_as_utf8_is_bad_encoding():
    data = csv_bytes(PREAMBLE + [HEADER] + ROWS + FOOTER)
    result = sf.parse(data, "s.csv", dict(MAPPING, encoding="utf-8"))
    assert result.errors == [(0, "bad_encoding", {"encoding": "utf-8"})]


def test_utf16_file_says_wrong_encoding():
    data = "\ufeff交易日期,贷方发生额\r\n".encode("utf-16-le")
    data = b"\xff\xfe" + data[2:]
    result = sf.parse(data, "s.csv", MAPPING)
    assert codes(result) == [(0, "wrong_encoding")]


def test_not_a_spreadsheet_and_empty_file():
    assert codes(sf.parse(b"PK\x03\x04garbage", "s.xlsx", MAPPING)) == [
        (0, "bad_spreadsheet")]
    assert codes(sf.parse(b"", "s.csv", MAPPING)) == [(0, "empty_file")]
    only_header = csv_bytes(PREAMBLE + [HEADER] + FOOTER)
    assert codes(sf.parse(only_header, "s.csv", MAPPING)) == [
        (0, "no_transactions")]


@pytest.mark.parametrize("mapping, code", [
    ({"amount_column": "金额"}, "no_date_column"),
    ({"date_column": "日期"}, "no_amount_column"),
    ({"date_column": "日期", "amount_column": "金额", "debit_column": "借"},
     "amount_and_debit_credit"),
    ({"has_header": False, "date_column": "日期", "amount_column": 2},
     "column_needs_number"),
    ({"date_column": 1, "amount_column": 2, "decimal_sep": ","},
     "same_separators"),
    ({"date_column": 1, "amount_column": 2, "encoding": "nope"},
     "unknown_encoding"),
])
def test_a_mapping_that_cannot_read_anything(mapping, code):
    assert [c for _r, c, _p in sf.check_mapping(mapping)] == [code]
    assert codes(sf.parse(b"x", "s.csv", mapping)) == [(0, code)]


def test_rows_without_serial_get_stable_distinct_ids():
    rows = [["日期", "金额", "摘要"],
            ["2026-03-05", "10", "A"], ["2026-03-05", "10", "A"],
            ["2026-03-06", "10", "A"]]
    mapping = {"date_column": "日期", "amount_column": "金额",
               "memo_column": "摘要", "encoding": "utf-8"}
    ids = [t.import_id for t in sf.parse(
        csv_bytes(rows, "utf-8"), "s.csv", mapping).transactions]
    assert len(set(ids)) == 3
    again = [t.import_id for t in sf.parse(
        csv_bytes(rows[:2] + rows[3:], "utf-8"), "s.csv",
        mapping).transactions]
    assert again == [ids[0], ids[2]]


@pytest.mark.parametrize("text, expected", [
    ("1,234.56", D("1234.56")), ("¥ 1 234.56", D("1234.56")),
    ("+3", D("3.00")), ("3-", D("-3.00")), ("（5.10）", D("-5.10")),
    ("0.005", D("0.01")), ("", None), ("  ", None),
])
def test_parse_amount(text, expected):
    assert sf.parse_amount(text) == expected


@pytest.mark.parametrize("text", ["abc", "1..2", "1,2,3.4.5", "--1", "1e5"])
def test_parse_amount_refuses(text):
    with pytest.raises(ValueError):
        sf.parse_amount(text)


def test_mapping_of_refuses_unknown_fields():
    with pytest.raises(TypeError):
        sf.Mapping.of({"date_colum": "日期"})
