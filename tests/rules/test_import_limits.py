"""Bounds of uploaded tables (rules.register_import.read_table and Limits):
every reader stops at the limits, with the error code the wizards translate."""
import datetime
import io

import pytest
import xlsxwriter
import xlwt

from property_billing.rules import register_import as ri

SMALL = ri.Limits(max_file_bytes=64 * 1024, max_rows=3, max_columns=4,
                  max_cell_chars=10)


def _xls(rows):
    book = xlwt.Workbook()
    sheet = book.add_sheet("register")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write(r, c, value, date_style)
            else:
                sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx(rows):
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write_datetime(r, c, value, date_format)
            else:
                sheet.write(r, c, value)
    book.close()
    return out.getvalue()


def _csv(rows):
    return "\r\n".join(",".join(row) for row in rows).encode("utf-8")


WRITERS = {"register.csv": _csv, "register.xls": _xls, "register.xlsx": _xlsx}


def _code(data, filename, limits=SMALL):
    with pytest.raises(ri.ImportFileError) as caught:
        ri.read_table(data, filename, limits)
    return caught.value.code, caught.value.params


@pytest.mark.parametrize("filename", sorted(WRITERS))
def test_within_the_limits_is_read(filename):
    rows = [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]]
    table = ri.read_table(WRITERS[filename](rows), filename, SMALL)
    assert [[ri.cell_text(c) for c in row] for row in table] == rows


@pytest.mark.parametrize("filename", sorted(WRITERS))
def test_one_row_too_many(filename):
    rows = [["a"], ["1"], ["2"], ["3"], ["4"]]
    assert _code(WRITERS[filename](rows), filename) == (
        "too_many_rows", {"limit": 3})


@pytest.mark.parametrize("filename", sorted(WRITERS))
def test_one_column_too_many(filename):
    rows = [["a", "b"], ["1", "2", "3", "4", "5"]]
    assert _code(WRITERS[filename](rows), filename) == (
        "too_many_columns", {"limit": 4, "row": 2})


@pytest.mark.parametrize("filename", sorted(WRITERS))
def test_cell_too_long(filename):
    rows = [["a", "b"], ["1", "x" * 11]]
    assert _code(WRITERS[filename](rows), filename) == (
        "cell_too_long", {"limit": 10, "row": 2, "column": 2})


def test_empty_rows_and_cells_after_the_data_do_not_count():
    data = _csv([["a", "b", "", "", "", ""], ["1", "2"]] + [[""]] * 10)
    table = ri.read_table(data, "register.csv", SMALL)
    assert table[:2] == [["a", "b"], ["1", "2"]]
    assert not any(table[2:])


def test_file_too_large_is_refused_before_reading():
    limits = ri.Limits(max_file_bytes=1024 * 1024)
    assert _code(b"a" * (1024 * 1024 + 1), "register.csv", limits) == (
        "file_too_large", {"limit": "1 MB"})


def test_csv_nul_byte_and_huge_field():
    assert _code(b"a,b\r\n1,\x00\r\n", "register.csv",
                 ri.Limits()) == ("nul_byte", {"row": 2})
    data = b'a,b\r\n1,"' + b"x" * (200 * 1024) + b'"\r\n'
    assert _code(data, "register.csv", ri.Limits())[0] == "bad_csv"


def test_xls_dates_stay_dates():
    table = ri.read_table(
        _xls([["day"], [datetime.date(2026, 3, 31)]]), "register.xls", SMALL)
    assert table[1] == [datetime.date(2026, 3, 31)]


def test_xlsx_dates_stay_dates():
    table = ri.read_table(
        _xlsx([["day"], [datetime.date(2026, 3, 31)]]), "register.xlsx", SMALL)
    assert table[1] == [datetime.date(2026, 3, 31)]


def test_spreadsheet_content_under_another_extension_is_refused():
    assert _code(_xlsx([["a"]]), "register.pdf")[0] == "bad_file_type"
    assert _code(b"not a workbook", "register.xlsx")[0] == "bad_spreadsheet"
