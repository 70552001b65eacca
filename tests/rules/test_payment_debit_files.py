"""Auto-debit files (银行代扣): request (送盘) and return (回盘) files in a
per-bank layout, and matching a return file with its request."""
import doctest
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from property_payment.rules import debit_files as df
from property_payment.rules.debit_files import (
    DebitFileError, Requested, RequestLine, ReturnLine, Spec)

RARE = "李䶮𠀀"  # CJK Ext-A and Ext-B: gb18030 writes them, gbk cannot
DAY = date(2026, 4, 20)

FIXED = dict(
    layout=df.FIXED, amount_unit=df.FEN,
    request_header=("=H", "batch", "date", "count", "total"),
    request_detail=("=D", "seq", "agreement", "account", "holder", "amount",
                    "reference"),
    request_trailer=("=T", "count", "total"),
    return_header=("=H", "batch", "date", "count", "total"),
    return_detail=("=D", "seq", "agreement", "amount", "result", "reason",
                   "serial"),
    widths={"batch": 16, "date": 8, "count": 6, "total": 15, "seq": 6,
            "agreement": 20, "account": 24, "holder": 40, "amount": 12,
            "reference": 16, "result": 4, "reason": 30, "serial": 20})


def request_lines():
    return [
        RequestLine(1, "DK0001", "6222020200112233445", "王小明",
                    D("250.60"), "BL0001"),
        RequestLine(2, "DK0002", "6217000010002000300", RARE,
                    D("1234.05"), "BL0002"),
        RequestLine(3, "DK0003", "6228480010000000001", "Zhao Li",
                    D("0.01"), "BL0003"),
    ]


def answer(seq, amount, code="0000", reason="成功", agreement=None,
           serial="", batch=None):
    return ReturnLine(None, batch, seq, agreement, None, None, D(amount),
                      code, reason, serial, "", None, code == "0000")


def error_of(call, *args):
    with pytest.raises(DebitFileError) as info:
        call(*args)
    return info.value


def test_doctests():
    result = doctest.testmod(df)
    assert result.attempted > 0
    assert result.failed == 0


# -- request files ------------------------------------------------------------

@pytest.mark.parametrize("layout", [
    dict(),
    dict(amount_unit=df.FEN),
    dict(delimiter=",", trailing_delimiter=True, line_ending="\n"),
    FIXED,
])
def test_request_round_trip(layout):
    spec = Spec(**layout)
    data = df.render_request(spec, "DK20260420", DAY, request_lines())
    read = df.parse_request(spec, data)
    assert read.lines == request_lines()
    assert (read.count, read.total) == (3, D("1484.66"))
    if spec.request_header and "batch" in spec.request_header:
        assert read.batch == "DK20260420"
        assert read.date == DAY


def test_request_header_and_lines_as_the_bank_reads_them():
    data = df.render_request(Spec(), "DK20260420", DAY, request_lines())
    text = data.decode("gb18030")
    assert text.endswith("\r\n")
    assert text.split("\r\n")[:-1] == [
        "DK20260420|20260420|3|1484.66",
        "1|DK0001|6222020200112233445|王小明|250.60|BL0001",
        "2|DK0002|6217000010002000300|%s|1234.05|BL0002" % RARE,
        "3|DK0003|6228480010000000001|Zhao Li|0.01|BL0003",
    ]


def test_fen_are_exact_whole_numbers():
    spec = Spec(amount_unit=df.FEN)
    data = df.render_request(spec, "B", DAY, [
        RequestLine(1, "A", "1", "x", D("0.29"), ""),
        RequestLine(2, "B", "2", "y", D("19.99"), ""),
        RequestLine(3, "C", "3", "z", D("1234567.80"), ""),
        RequestLine(4, "E", "4", "w", D("4.35"), ""),
    ])
    rows = [row.split("|") for row in data.decode("gb18030").split("\r\n")[:-1]]
    assert rows[0][2:] == ["4", "123459243"]
    assert [row[4] for row in rows[1:]] == ["29", "1999", "123456780", "435"]


@pytest.mark.parametrize("amount", [
    D("19.999"), D("0"), D("-5.00"), 250.6, "12a", D("NaN")])
def test_amounts_a_bank_cannot_take(amount):
    error = error_of(df.render_request, Spec(amount_unit=df.FEN), "B", DAY,
                     [RequestLine(7, "A", "1", "x", amount, "")])
    assert error.code == df.BAD_AMOUNT
    assert error.params["line"] == 7


@given(st.integers(min_value=1, max_value=10 ** 12),
       st.sampled_from([df.YUAN, df.FEN]))
def test_amount_round_trip(cents, unit):
    amount = D(cents).scaleb(-2)
    text = df.format_amount(amount, unit)
    assert df.parse_amount(text, unit) == amount
    if unit == df.FEN:
        assert text == str(cents)


def test_rare_character_holder_in_gb18030_not_gbk():
    lines = [RequestLine(1, "DK1", "6222", RARE, D("1.00"), "")]
    data = df.render_request(Spec(), "B", DAY, lines)
    assert RARE.encode("gb18030") in data
    assert df.parse_request(Spec(), data).lines[0].holder == RARE
    error = error_of(df.render_request, Spec(encoding="gbk"), "B", DAY, lines)
    assert error.code == df.UNENCODABLE
    assert error.params["field"] == "holder"
    assert error.params["line"] == 1


def test_fixed_width_counts_bytes_of_the_encoding():
    spec = Spec(**FIXED)
    data = df.render_request(spec, "B1", DAY, request_lines())
    records = data.split(b"\r\n")[:-1]
    detail_width = 1 + sum(FIXED["widths"][name] for name in (
        "seq", "agreement", "account", "holder", "amount", "reference"))
    assert [len(record) for record in records[1:4]] == [detail_width] * 3
    # gb18030 writes 李 and 䶮 in two bytes each, 𠀀 in four; then spaces
    holder = records[2][1 + 6 + 20 + 24:1 + 6 + 20 + 24 + 40]
    assert holder == b"\xc0\xee\xfe\x9f\x95\x32\x82\x36" + b" " * 32
    assert records[2][1:7] == b"000002"
    assert records[4] == b"T000003000000000148466"


@pytest.mark.parametrize("line, layout, code, field", [
    (RequestLine(1, "A|B", "1", "x", D("1.00"), ""), {}, df.BAD_VALUE,
     "agreement"),
    (RequestLine(1, "A", "1", "x\r\ny", D("1.00"), ""), {}, df.BAD_VALUE,
     "holder"),
    (RequestLine(1, "A", "1", "x" * 41, D("1.00"), ""), FIXED, df.TOO_LONG,
     "holder"),
    (RequestLine(1, "A", "1", "王" * 21, D("1.00"), ""), FIXED, df.TOO_LONG,
     "holder"),
])
def test_values_that_do_not_fit_the_layout(line, layout, code, field):
    error = error_of(df.render_request, Spec(**layout), "B", DAY, [line])
    assert (error.code, error.params["field"]) == (code, field)


def test_request_without_lines_or_with_a_sequence_twice():
    assert error_of(df.render_request, Spec(), "B", DAY, []).code == \
        df.EMPTY_BATCH
    twice = [RequestLine(1, "A", "1", "x", D("1.00"), ""),
             RequestLine(1, "B", "2", "y", D("2.00"), "")]
    assert error_of(df.render_request, Spec(), "B", DAY, twice).code == \
        df.DUPLICATE_LINE


# -- return files -----------------------------------------------------------------

def bank_file(spec=None, lines=None, batch="DK20260420"):
    spec = spec or Spec()
    lines = lines or [
        answer(1, "250.60", serial="B0001"),
        answer(2, "1234.05", "3008", "余额不足"),
        answer(3, "0.01", "3012", "账户已冻结"),
    ]
    return df.render_return(spec, batch, date(2026, 4, 25), lines)


@pytest.mark.parametrize("layout", [dict(), FIXED])
def test_return_round_trip(layout):
    spec = Spec(**layout)
    read = df.parse_return(spec, bank_file(spec))
    assert read.batch == "DK20260420"
    assert (read.count, read.total) == (3, D("1484.66"))
    assert [(line.seq, line.amount, line.code, line.success, line.reason)
            for line in read.lines] == [
        (1, D("250.60"), "0000", True, "成功"),
        (2, D("1234.05"), "3008", False, "余额不足"),
        (3, D("0.01"), "3012", False, "账户已冻结"),
    ]
    assert read.lines[0].serial == "B0001"
    assert {line.batch for line in read.lines} == {"DK20260420"}
    assert {line.date for line in read.lines} == {date(2026, 4, 25)}


def test_success_codes_are_the_banks():
    spec = Spec(success_codes=("00", "0000"))
    read = df.parse_return(spec, bank_file(spec, [
        answer(1, "1.00", "00"), answer(2, "1.00", "0000"),
        answer(3, "1.00", "0001")]))
    assert [line.success for line in read.lines] == [True, True, False]


def test_a_header_counting_only_successes():
    spec = Spec(return_totals=df.TOTALS_SUCCESS)
    data = bank_file(spec)
    assert data.decode("gb18030").startswith("H|DK20260420|20260425|1|250.60")
    assert df.parse_return(spec, data).count == 3
    # the same file read as counting every line does not tie
    assert error_of(df.parse_return, Spec(), data).code == df.COUNT_MISMATCH


@pytest.mark.parametrize("header, code, expected, found", [
    ("H|DK20260420|20260425|4|1484.66", df.COUNT_MISMATCH, 4, 3),
    ("H|DK20260420|20260425|3|1484.67", df.TOTAL_MISMATCH, D("1484.67"),
     D("1484.66")),
])
def test_totals_that_do_not_tie(header, code, expected, found):
    rows = bank_file().decode("gb18030").split("\r\n")
    data = "\r\n".join([header] + rows[1:]).encode("gb18030")
    error = error_of(df.parse_return, Spec(), data)
    assert error.code == code
    assert (error.params["expected"], error.params["found"]) == (
        expected, found)
    assert error.params["record"] == "header"


def test_trailer_totals_that_do_not_tie():
    spec = Spec(return_trailer=("=T", "count", "total"))
    data = bank_file(spec).replace(b"T|3|1484.66", b"T|3|1000.00")
    error = error_of(df.parse_return, spec, data)
    assert (error.code, error.params["record"]) == (df.TOTAL_MISMATCH,
                                                    "trailer")


@pytest.mark.parametrize("line, code, params", [
    # a field missing
    ("D|DK20260420|2|1234.05|3008|余额不足|", df.MALFORMED,
     {"line": 3, "expected": 8, "found": 7}),
    ("D|DK20260420|2||12x.05|3008|余额不足|", df.BAD_AMOUNT,
     {"line": 3, "value": "12x.05"}),
    ("D|DK20260420|二||1234.05|3008|余额不足|", df.BAD_NUMBER,
     {"line": 3, "field": "seq", "value": "二"}),
    ("X|DK20260420|2||1234.05|3008|余额不足|", df.BAD_CONSTANT,
     {"line": 3, "expected": "D", "found": "X"}),
    ("D|DK20260420|2||1234.05||余额不足|", df.MISSING_RESULT, {"line": 3}),
    ("D|DK20260999|2||1234.05|3008|余额不足|", df.BATCH_MISMATCH,
     {"line": 3, "expected": "DK20260420", "found": "DK20260999"}),
    ("D|DK20260420|1||1234.05|3008|余额不足|", df.DUPLICATE_LINE,
     {"line": 3, "key": 1}),
])
def test_malformed_lines(line, code, params):
    rows = bank_file().decode("gb18030").split("\r\n")
    rows[2] = line
    error = error_of(df.parse_return, Spec(), "\r\n".join(rows).encode(
        "gb18030"))
    assert error.code == code
    assert error.params == params


def test_fixed_width_line_of_the_wrong_width():
    spec = Spec(**FIXED)
    rows = bank_file(spec).split(b"\r\n")
    rows[2] = rows[2][:-3]
    error = error_of(df.parse_return, spec, b"\r\n".join(rows))
    assert (error.code, error.params["line"]) == (df.MALFORMED, 3)


def test_wrong_encoding_and_empty_files():
    utf8 = bank_file().decode("gb18030").encode("utf-8")
    # gb18030 would read it as other characters (乱码): refused
    error = error_of(df.parse_return, Spec(), utf8)
    assert (error.code, error.params["found"]) == (df.ENCODING, "utf-8")
    error = error_of(df.parse_return, Spec(), b"H|B|20260425|1|1.00\r\n\xff\xff")
    assert (error.code, error.params["encoding"]) == (df.ENCODING, "gb18030")
    assert error_of(df.parse_return, Spec(), b"").code == df.EMPTY_FILE
    assert error_of(df.parse_return, Spec(),
                    b"H|B|20260425|0|0.00\r\n\r\n").code == df.EMPTY_FILE


def test_utf8_layout_with_a_byte_order_mark():
    spec = Spec(encoding="utf-8")
    data = b"\xef\xbb\xbf" + bank_file(spec)
    assert df.parse_return(spec, data).lines[1].reason == "余额不足"


# -- layouts ---------------------------------------------------------------------

@pytest.mark.parametrize("layout, field, reason", [
    (dict(layout="xml"), "layout", "unknown"),
    (dict(encoding="no-such-codec"), "encoding", "unknown"),
    (dict(delimiter=""), "delimiter", "empty"),
    (dict(amount_unit="jiao"), "amount_unit", "unknown"),
    (dict(request_detail=("seq", "amount", "colour")), "colour", "unknown"),
    (dict(request_detail=("seq", "amount", "seq")), "request_detail",
     "repeated"),
    (dict(request_detail=("holder", "amount")), "request_detail", "key"),
    (dict(return_detail=("seq", "amount")), "return_detail", "result"),
    (dict(return_detail=("seq", "result")), "return_detail", "amount"),
    (dict(success_codes=()), "success_codes", "empty"),
    (dict(FIXED, widths={}), "batch", "width"),
])
def test_layouts_that_cannot_work(layout, field, reason):
    with pytest.raises(DebitFileError) as info:
        Spec(**layout)
    error = info.value
    assert error.code == df.BAD_SPEC
    assert error.params == {"field": field, "reason": reason}


def test_field_list_from_template_text():
    assert df.field_list(" =D,seq  agreement,\namount ") == (
        "=D", "seq", "agreement", "amount")


# -- matching ----------------------------------------------------------------------

REQUEST = [Requested("a", 1, "DK0001", D("250.60")),
           Requested("b", 2, "DK0002", D("1234.05")),
           Requested("c", 3, "DK0003", D("0.01"))]


def test_match_by_sequence():
    lines = df.parse_return(Spec(), bank_file()).lines
    outcomes = df.match_return(REQUEST, lines)
    assert [(o.key, o.status) for o in outcomes] == [
        ("a", df.PAID), ("b", df.FAILED), ("c", df.FAILED)]
    assert outcomes[1].line.reason == "余额不足"


def test_match_by_agreement_and_partial_answers():
    lines = [answer(None, "1234.05", agreement="DK0002")]
    assert [(o.key, o.status) for o in df.match_return(REQUEST, lines)] == [
        ("b", df.PAID)]


def test_debited_another_amount_is_not_a_payment():
    outcome = df.match_return(REQUEST, [answer(1, "250.00")])[0]
    assert (outcome.key, outcome.status) == ("a", df.AMOUNT_MISMATCH)


def test_already_answered_lines_do_nothing():
    lines = df.parse_return(Spec(), bank_file()).lines
    outcomes = df.match_return(REQUEST, lines, answered={"a", "b"})
    assert [o.status for o in outcomes] == [
        df.ALREADY_ANSWERED, df.ALREADY_ANSWERED, df.FAILED]


@pytest.mark.parametrize("lines, code", [
    ([answer(9, "1.00")], df.UNKNOWN_LINE),
    ([answer(1, "250.60", agreement="DK0002")], df.UNKNOWN_LINE),
    ([answer(None, "1.00", agreement="DK9999")], df.UNKNOWN_LINE),
    ([answer(1, "250.60"), answer(None, "250.60", agreement="DK0001")],
     df.DUPLICATE_LINE),
])
def test_lines_answering_no_request_line_refuse_the_file(lines, code):
    assert error_of(df.match_return, REQUEST, lines).code == code


def test_agreement_shared_by_two_request_lines_is_ambiguous():
    request = REQUEST + [Requested("d", 4, "DK0001", D("9.00"))]
    error = error_of(df.match_return, request,
                     [answer(None, "9.00", agreement="DK0001")])
    assert (error.code, error.params["agreement"]) == (df.AMBIGUOUS_LINE,
                                                       "DK0001")
