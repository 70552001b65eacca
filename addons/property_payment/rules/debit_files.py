"""Auto-debit (银行代扣) files: the request file (送盘) sent to the bank and the
return file (回盘) the bank answers with.

There is no national layout: each bank has its own. A :class:`Spec` describes
one bank's layout, for both files:

- ``layout``: ``delimited`` (fields split by ``delimiter``, optionally ending
  each record with it too) or ``fixed`` (each field exactly ``widths[name]``
  bytes in the file's encoding: a Chinese character takes two bytes in
  gb18030, a rare one four);
- ``encoding``: ``gb18030`` by default, never plain ``gbk``, whose codec
  cannot encode rare characters (生僻字) of account holder names;
- ``amount_unit``: ``yuan`` (``1234.50``) or ``fen`` (``123450``), computed
  exactly in ``Decimal``;
- the fields of each record, in order: the request's header (批次号 batch,
  总笔数 count, 总金额 total...), detail lines (sequence, 协议号 agreement,
  account, holder, amount, reference) and optional trailer; the same for the
  return file, whose details add the bank's result code and reason. A field
  ``=TEXT`` is a constant (a record type such as ``H`` or ``D``), written as
  it is and checked when read; ``-`` is a column written empty and ignored
  when read;
- ``success_codes``: the result codes that mean "debited".

Both directions check what a bank checks: a header's count and total must
equal its lines. Every problem raises :class:`DebitFileError` with a code
(the constants below) and its details, for the caller to word.

>>> spec = Spec(request_header=("=H", "batch", "date", "count", "total"),
...             request_detail=("=D", "seq", "agreement", "account", "holder",
...                             "amount", "reference"))
>>> data = render_request(spec, "DK202604", date(2026, 4, 20), [
...     RequestLine(1, "M0001", "6222000011112222", "王小明",
...                 Decimal("250.60"), "BL0001")])
>>> data.decode("gb18030").splitlines()
['H|DK202604|20260420|1|250.60', 'D|1|M0001|6222000011112222|王小明|250.60|BL0001']
>>> answer = ("H|DK202604|20260425|1|250.60\\r\\n"
...           "D|DK202604|1|M0001|250.60|0000|成功|B77\\r\\n").encode("gb18030")
>>> result = parse_return(spec, answer)
>>> result.batch, result.count, result.total
('DK202604', 1, Decimal('250.60'))
>>> line = result.lines[0]
>>> line.seq, line.amount, line.code, line.success, line.serial
(1, Decimal('250.60'), '0000', True, 'B77')
"""
import codecs
import re
from collections import namedtuple
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from .allocation import CENT, PaymentRuleError

# the account.payment.method of Chinese auto-debit (代扣) orders
METHOD_CODE = "property_cn_debit"
# what the bank answered for a line of a request file
LINE_PENDING = "pending"
LINE_PAID = "paid"
LINE_FAILED = "failed"
LINE_STATES = [(LINE_PENDING, "Awaiting the return file"),
               (LINE_PAID, "Debited"), (LINE_FAILED, "Not debited")]

DELIMITED = "delimited"
FIXED = "fixed"
LAYOUTS = (DELIMITED, FIXED)
YUAN = "yuan"
FEN = "fen"
AMOUNT_UNITS = (YUAN, FEN)
# which lines a return file's header totals count
TOTALS_ALL = "all"
TOTALS_SUCCESS = "success"

# -- the fields a layout may name ----------------------------------------------
BATCH = "batch"          # 批次号: the debit order's number
DATE = "date"            # the file's date (request) or the debit date (return)
COUNT = "count"          # 总笔数
TOTAL = "total"          # 总金额
MERCHANT = "merchant"    # the company's contract number with the bank
SEQ = "seq"              # the line's sequence number in the batch
AGREEMENT = "agreement"  # 协议号: the mandate's reference
ACCOUNT = "account"      # the payer's account number
HOLDER = "holder"        # 户名: the account holder's name
AMOUNT = "amount"
REFERENCE = "reference"  # our reference of the line
RESULT = "result"        # the bank's result code (return file)
REASON = "reason"        # the bank's reason text (return file)
SERIAL = "serial"        # the bank's serial number of the debit (流水号)
IGNORED = "-"

HEADER_FIELDS = frozenset([BATCH, DATE, COUNT, TOTAL, MERCHANT])
REQUEST_DETAIL_FIELDS = frozenset(
    [BATCH, DATE, SEQ, AGREEMENT, ACCOUNT, HOLDER, AMOUNT, REFERENCE])
RETURN_DETAIL_FIELDS = REQUEST_DETAIL_FIELDS | frozenset(
    [RESULT, REASON, SERIAL])
NUMERIC_FIELDS = frozenset([COUNT, TOTAL, SEQ, AMOUNT])
INTEGER_FIELDS = frozenset([COUNT, SEQ])
MONEY_FIELDS = frozenset([TOTAL, AMOUNT])

# -- error codes ---------------------------------------------------------------
BAD_SPEC = "debit_bad_spec"                # field, reason
EMPTY_BATCH = "debit_empty_batch"          # a request without lines
BAD_AMOUNT = "debit_bad_amount"            # line, value
BAD_NUMBER = "debit_bad_number"            # line, field, value
BAD_DATE = "debit_bad_date"                # line, value
BAD_VALUE = "debit_bad_value"              # line, field, value: delimiter...
UNENCODABLE = "debit_unencodable"          # line, field, value, encoding
TOO_LONG = "debit_too_long"                # line, field, value, width
DUPLICATE_LINE = "debit_duplicate_line"    # line, key
ENCODING = "debit_encoding"                # encoding, position
EMPTY_FILE = "debit_empty_file"
MALFORMED = "debit_malformed"              # line, expected, found
BAD_CONSTANT = "debit_bad_constant"        # line, expected, found
MISSING_RESULT = "debit_missing_result"    # line
BATCH_MISMATCH = "debit_batch_mismatch"    # line, expected, found
COUNT_MISMATCH = "debit_count_mismatch"    # record, expected, found
TOTAL_MISMATCH = "debit_total_mismatch"    # record, expected, found
UNKNOWN_LINE = "debit_unknown_line"        # line, seq, agreement
AMBIGUOUS_LINE = "debit_ambiguous_line"    # line, agreement

# outcomes of a return line (see match_return)
PAID = "paid"
FAILED = "failed"
AMOUNT_MISMATCH = "amount_mismatch"
ALREADY_ANSWERED = "already_answered"


class DebitFileError(PaymentRuleError):
    """A request that cannot be written or a return file that cannot be
    read; ``code`` is one of the module's error codes, ``params`` its
    details (``line``: the 1-based line of the file, or the request line's
    sequence when rendering)."""


_SpecBase = namedtuple("Spec", [
    "layout", "delimiter", "trailing_delimiter", "encoding", "amount_unit",
    "line_ending", "request_header", "request_detail", "request_trailer",
    "return_header", "return_detail", "return_trailer", "widths",
    "success_codes", "return_totals"])


class Spec(_SpecBase):
    """One bank's layout of its request and return files (see the module).

    Every argument has a default: a ``|``-delimited gb18030 file in yuan,
    CRLF line ends, success code ``0000``.
    """

    __slots__ = ()

    def __new__(cls, layout=DELIMITED, delimiter="|",
                trailing_delimiter=False, encoding="gb18030",
                amount_unit=YUAN, line_ending="\r\n",
                request_header=(BATCH, DATE, COUNT, TOTAL),
                request_detail=(SEQ, AGREEMENT, ACCOUNT, HOLDER, AMOUNT,
                                REFERENCE),
                request_trailer=(),
                return_header=("=H", BATCH, DATE, COUNT, TOTAL),
                return_detail=("=D", BATCH, SEQ, AGREEMENT, AMOUNT, RESULT,
                               REASON, SERIAL),
                return_trailer=(), widths=None,
                success_codes=("0000",), return_totals=TOTALS_ALL):
        spec = super().__new__(
            cls, layout, delimiter, trailing_delimiter, encoding,
            amount_unit, line_ending, tuple(request_header),
            tuple(request_detail), tuple(request_trailer),
            tuple(return_header), tuple(return_detail),
            tuple(return_trailer), dict(widths or {}),
            frozenset(success_codes), return_totals)
        spec.check()
        return spec

    def check(self):
        """Raise ``DebitFileError(BAD_SPEC)`` for a layout that cannot work:
        here, a fixed-width layout without the width of its columns.

        >>> try:
        ...     Spec(layout="fixed")
        ... except DebitFileError as error:
        ...     print(error.code, error.params)
        debit_bad_spec {'field': 'batch', 'reason': 'width'}
        """
        self._check_settings()
        records = [
            ("request_header", HEADER_FIELDS),
            ("request_trailer", HEADER_FIELDS),
            ("return_header", HEADER_FIELDS),
            ("return_trailer", HEADER_FIELDS),
            ("request_detail", REQUEST_DETAIL_FIELDS),
            ("return_detail", RETURN_DETAIL_FIELDS)]
        for record, allowed in records:
            self._check_record(record, allowed)
        for record in ("request_detail", "return_detail"):
            fields = getattr(self, record)
            if AMOUNT not in fields:
                _bad_spec(record, "amount")
            if SEQ not in fields and AGREEMENT not in fields:
                _bad_spec(record, "key")
        if RESULT not in self.return_detail:
            _bad_spec("return_detail", "result")
        return self

    def _check_settings(self):
        if self.layout not in LAYOUTS:
            _bad_spec("layout", "unknown")
        if self.amount_unit not in AMOUNT_UNITS:
            _bad_spec("amount_unit", "unknown")
        if self.return_totals not in (TOTALS_ALL, TOTALS_SUCCESS):
            _bad_spec("return_totals", "unknown")
        try:
            codecs.lookup(self.encoding)
        except (LookupError, TypeError):
            _bad_spec("encoding", "unknown")
        if self.layout == DELIMITED and (
                not self.delimiter or "\n" in self.delimiter
                or "\r" in self.delimiter):
            _bad_spec("delimiter", "empty")
        if self.line_ending not in ("\r\n", "\n"):
            _bad_spec("line_ending", "unknown")
        if not self.success_codes:
            _bad_spec("success_codes", "empty")

    def _check_record(self, record, allowed):
        names = [name for name in getattr(self, record)
                 if not _is_constant(name) and name != IGNORED]
        for name in names:
            if name not in allowed:
                _bad_spec(name, "unknown")
        if len(set(names)) != len(names):
            _bad_spec(record, "repeated")
        if self.layout != FIXED:
            return
        for name in getattr(self, record):
            width = self.widths.get(name)
            if not _is_constant(name) and (
                    not isinstance(width, int) or width <= 0):
                _bad_spec(name, "width")


def _bad_spec(field, reason):
    raise DebitFileError(BAD_SPEC, field=field, reason=reason)


def field_list(text):
    """Field names from the text of a template (separated by commas or
    spaces), as :class:`Spec` takes them.

    >>> field_list("=H, batch,count total")
    ('=H', 'batch', 'count', 'total')
    """
    return tuple(name for name in re.split(r"[,\s]+", text or "") if name)


def _is_constant(name):
    return name.startswith("=")


RequestLine = namedtuple(
    "RequestLine", "seq agreement account holder amount reference")
ReturnLine = namedtuple(
    "ReturnLine", "line batch seq agreement account holder amount code "
                  "reason serial reference date success")
ReturnFile = namedtuple("ReturnFile", "batch date count total lines")


# -- amounts -------------------------------------------------------------------

def format_amount(amount, unit=YUAN, line=None):
    """``amount`` as the bank writes it: yuan with two decimals, or whole fen.

    Exact in ``Decimal`` (never ``int(x * 100)`` on a float):

    >>> format_amount(Decimal("1234.5")), format_amount(Decimal("0.29"), FEN)
    ('1234.50', '29')
    >>> try:
    ...     format_amount(Decimal("19.999"))
    ... except DebitFileError as error:
    ...     print(error.code, error.params["value"])
    debit_bad_amount 19.999
    """
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise DebitFileError(BAD_AMOUNT, line=line, value=str(amount))
    if (not value.is_finite() or value <= 0
            or value != value.quantize(CENT)):
        raise DebitFileError(BAD_AMOUNT, line=line, value=str(amount))
    value = value.quantize(CENT)
    if unit == FEN:
        return format(value.scaleb(2).quantize(Decimal(1)), "f")
    return format(value, "f")


def _format_total(total, unit):
    """A header's total: like an amount, but zero is a total too (a return
    file counting only its successes may have none)."""
    if not total:
        return "0" if unit == FEN else "0.00"
    return format_amount(total, unit)


_YUAN_RE = re.compile(r"^\d+(\.\d{1,2})?$")
_FEN_RE = re.compile(r"^\d+$")


def parse_amount(text, unit=YUAN, line=None):
    """The amount a bank wrote, in yuan (``Decimal``, two places).

    >>> parse_amount("000123450", FEN), parse_amount("1234.5")
    (Decimal('1234.50'), Decimal('1234.50'))
    """
    text = (text or "").strip()
    pattern = _FEN_RE if unit == FEN else _YUAN_RE
    if not pattern.match(text):
        raise DebitFileError(BAD_AMOUNT, line=line, value=text)
    value = Decimal(text)
    if unit == FEN:
        value = value.scaleb(-2)
    return value.quantize(CENT)


def _parse_int(text, field, line):
    text = (text or "").strip()
    if not text.isdigit() or not text.isascii():
        raise DebitFileError(BAD_NUMBER, line=line, field=field, value=text)
    return int(text)


def _parse_date(text, line):
    text = (text or "").strip()
    for fmt in ("%Y%m%d", "%Y-%m-%d", "%Y/%m/%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise DebitFileError(BAD_DATE, line=line, value=text)


# -- the request file ------------------------------------------------------------

def render_request(spec, batch, file_date, lines, merchant=""):
    """The request file (送盘) of ``batch`` as bytes in ``spec.encoding``.

    ``lines`` are :class:`RequestLine`; the header and trailer carry the
    batch number, ``file_date``, the count and the total. Raises
    ``DebitFileError`` for an empty batch, an amount that is not positive
    or has more than two decimals, a sequence used twice, a value the
    encoding cannot write (``UNENCODABLE``), that holds the delimiter or a
    line break (``BAD_VALUE``) or is wider than its column (``TOO_LONG``).
    """
    lines = list(lines)
    if not lines:
        raise DebitFileError(EMPTY_BATCH, batch=batch)
    seen = set()
    total = Decimal(0)
    details = []
    for line in lines:
        if line.seq in seen:
            raise DebitFileError(DUPLICATE_LINE, line=line.seq, key=line.seq)
        seen.add(line.seq)
        amount = format_amount(line.amount, spec.amount_unit, line=line.seq)
        total += Decimal(line.amount)
        values = {
            BATCH: batch, DATE: file_date, SEQ: line.seq,
            AGREEMENT: line.agreement, ACCOUNT: line.account,
            HOLDER: line.holder, AMOUNT: amount, REFERENCE: line.reference,
        }
        details.append(_render_record(spec, spec.request_detail, values,
                                      line.seq))
    totals = {
        BATCH: batch, DATE: file_date, COUNT: len(lines),
        TOTAL: _format_total(total, spec.amount_unit), MERCHANT: merchant,
    }
    records = []
    if spec.request_header:
        records.append(_render_record(spec, spec.request_header, totals,
                                      "header"))
    records.extend(details)
    if spec.request_trailer:
        records.append(_render_record(spec, spec.request_trailer, totals,
                                      "trailer"))
    ending = spec.line_ending.encode("ascii")
    return b"".join(record + ending for record in records)


def _render_value(name, value):
    if value is None or value is False:
        return ""
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    return str(value)


def _render_record(spec, names, values, where):
    encoding = spec.encoding
    parts = []
    for name in names:
        if _is_constant(name):
            text = name[1:]
        elif name == IGNORED:
            text = ""
        else:
            text = _render_value(name, values.get(name))
        if any(char in text for char in "\r\n") or (
                spec.layout == DELIMITED and spec.delimiter in text):
            raise DebitFileError(BAD_VALUE, line=where, field=name, value=text)
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            raise DebitFileError(UNENCODABLE, line=where, field=name,
                                 value=text, encoding=encoding)
        if spec.layout == FIXED and not _is_constant(name):
            width = spec.widths[name]
            if len(data) > width:
                raise DebitFileError(TOO_LONG, line=where, field=name,
                                     value=text, width=width)
            pad = width - len(data)
            if name in NUMERIC_FIELDS:
                data = b"0" * pad + data
            else:
                data = data + b" " * pad
        parts.append(data)
    if spec.layout == FIXED:
        return b"".join(parts)
    delimiter = spec.delimiter.encode(encoding)
    record = delimiter.join(parts)
    if spec.trailing_delimiter:
        record += delimiter
    return record


# -- reading files ---------------------------------------------------------------------

def _records(spec, data, header, trailer):
    """(header values, trailer values, [(line number, raw detail)]) of
    ``data``; blank lines are skipped."""
    if isinstance(data, str):
        text = data
    else:
        text = _decode(spec, bytes(data))
    if text.startswith("\ufeff"):
        text = text[1:]
    records = [(number, raw.rstrip("\r"))
               for number, raw in enumerate(text.split("\n"), 1)]
    records = [(number, raw) for number, raw in records if raw.strip()]
    if len(records) <= (1 if header else 0) + (1 if trailer else 0):
        raise DebitFileError(EMPTY_FILE)
    header_values = trailer_values = None
    if header:
        number, raw = records.pop(0)
        header_values = _read_record(spec, header, raw, number)
    if trailer:
        number, raw = records.pop()
        trailer_values = _read_record(spec, trailer, raw, number)
    return header_values, trailer_values, records


def _decode(spec, data):
    """``data`` decoded with the layout's encoding.

    A Chinese text in UTF-8 also decodes as gb18030, into other characters
    (乱码): a file that is valid UTF-8 and not plain ASCII is refused for a
    layout in another encoding (a gb18030 text with Chinese characters is
    practically never valid UTF-8).

    >>> try:
    ...     _decode(Spec(), "余额不足".encode("utf-8"))
    ... except DebitFileError as error:
    ...     print(error.code, error.params["found"])
    debit_encoding utf-8
    """
    try:
        text = data.decode(spec.encoding)
    except UnicodeDecodeError as error:
        raise DebitFileError(ENCODING, encoding=spec.encoding,
                             position=error.start, found=None)
    utf = codecs.lookup(spec.encoding).name.startswith("utf")
    if not utf and not _is_ascii(data) and _is_utf8(data):
        raise DebitFileError(ENCODING, encoding=spec.encoding,
                             position=None, found="utf-8")
    return text


def _is_ascii(data):
    return all(byte < 0x80 for byte in data)


def _is_utf8(data):
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _check_totals(header, trailer, count, total):
    for record, values in (("header", header), ("trailer", trailer)):
        if not values:
            continue
        if COUNT in values and values[COUNT] != count:
            raise DebitFileError(COUNT_MISMATCH, record=record,
                                 expected=values[COUNT], found=count)
        if TOTAL in values and values[TOTAL] != total:
            raise DebitFileError(TOTAL_MISMATCH, record=record,
                                 expected=values[TOTAL], found=total)


def _file_value(name, header, trailer):
    return (header or {}).get(name) or (trailer or {}).get(name)


def _line_batch(values, batch, number):
    line_batch = values.get(BATCH)
    if batch and line_batch and line_batch != batch:
        raise DebitFileError(BATCH_MISMATCH, line=number, expected=batch,
                             found=line_batch)
    return batch or line_batch


def _line_key(values, seen, number):
    key = values.get(SEQ)
    if key is None:
        key = values.get(AGREEMENT)
    if key in seen:
        raise DebitFileError(DUPLICATE_LINE, line=number, key=key)
    seen.add(key)


RequestFile = namedtuple("RequestFile", "batch date merchant count total lines")


def parse_request(spec, data):
    """A request file read back (what the bank reads), as a
    :class:`RequestFile` of :class:`RequestLine`: to check a file before it
    is sent, and in tests. Raises as :func:`parse_return` does.

    >>> spec = Spec(amount_unit=FEN)
    >>> data = render_request(spec, "B1", date(2026, 4, 20), [
    ...     RequestLine(1, "M1", "6222", "李䶮", Decimal("0.29"), "")])
    >>> parse_request(spec, data).lines[0].amount
    Decimal('0.29')
    """
    header, trailer, records = _records(
        spec, data, spec.request_header, spec.request_trailer)
    batch = _file_value(BATCH, header, trailer)
    seen = set()
    lines = []
    for number, raw in records:
        values = _read_record(spec, spec.request_detail, raw, number)
        batch = _line_batch(values, batch, number)
        _line_key(values, seen, number)
        lines.append(RequestLine(
            values.get(SEQ), values.get(AGREEMENT), values.get(ACCOUNT),
            values.get(HOLDER), values[AMOUNT], values.get(REFERENCE)))
    total = sum((line.amount for line in lines), Decimal(0)).quantize(CENT)
    _check_totals(header, trailer, len(lines), total)
    return RequestFile(batch, _file_value(DATE, header, trailer),
                       _file_value(MERCHANT, header, trailer), len(lines),
                       total, lines)


def parse_return(spec, data):
    """The return file (回盘) ``data`` (bytes) read with ``spec``.

    Returns a :class:`ReturnFile` whose lines say, each, whether the bank
    debited the amount (``success``: its result code is one of
    ``spec.success_codes``) and why not (``reason``); ``batch`` is the
    batch number the file names (``None`` if its layout has none), ``count``
    and ``total`` those of all its lines. Lines take the file's batch and
    date where they carry none. Blank lines are skipped.

    Raises ``DebitFileError`` for a file the encoding cannot read
    (``ENCODING``), an empty file, a record with the wrong number of fields
    or the wrong width (``MALFORMED``), a wrong record type, a bad amount,
    number or date, a line without a result code, a line of another batch
    than the header's, a line answered twice, and a header or trailer whose
    count or total differs from its lines (all of them, or the successful
    ones when ``spec.return_totals`` is ``success``).
    """
    header, trailer, records = _records(
        spec, data, spec.return_header, spec.return_trailer)
    batch = _file_value(BATCH, header, trailer)
    file_date = _file_value(DATE, header, trailer)
    lines = []
    seen = set()
    for number, raw in records:
        values = _read_record(spec, spec.return_detail, raw, number)
        batch = _line_batch(values, batch, number)
        code = values.get(RESULT) or ""
        if not code:
            raise DebitFileError(MISSING_RESULT, line=number)
        _line_key(values, seen, number)
        lines.append(ReturnLine(
            line=number, batch=values.get(BATCH), seq=values.get(SEQ),
            agreement=values.get(AGREEMENT), account=values.get(ACCOUNT),
            holder=values.get(HOLDER), amount=values[AMOUNT], code=code,
            reason=values.get(REASON) or "", serial=values.get(SERIAL) or "",
            reference=values.get(REFERENCE) or "",
            date=values.get(DATE) or file_date,
            success=code in spec.success_codes))
    counted = lines
    if spec.return_totals == TOTALS_SUCCESS:
        counted = [line for line in lines if line.success]
    _check_totals(header, trailer, len(counted), sum(
        (line.amount for line in counted), Decimal(0)).quantize(CENT))
    lines = [line._replace(batch=line.batch or batch) for line in lines]
    total = sum((line.amount for line in lines), Decimal(0)).quantize(CENT)
    return ReturnFile(batch, file_date, len(lines), total, lines)


def render_return(spec, batch, file_date, lines):
    """A return file as the bank writes it, from :class:`ReturnLine`
    (``line`` and ``success`` are not written): for demo data, a bank
    stub and tests.

    >>> spec = Spec()
    >>> data = render_return(spec, "B1", date(2026, 4, 25), [ReturnLine(
    ...     None, None, 1, "M1", None, None, Decimal("9.90"), "3008",
    ...     "余额不足", "", "", None, False)])
    >>> line = parse_return(spec, data).lines[0]
    >>> line.success, line.reason
    (False, '余额不足')
    """
    lines = list(lines)
    records = []
    for line in lines:
        values = {
            BATCH: line.batch or batch, DATE: line.date or file_date,
            SEQ: line.seq, AGREEMENT: line.agreement, ACCOUNT: line.account,
            HOLDER: line.holder,
            AMOUNT: format_amount(line.amount, spec.amount_unit, line.seq),
            RESULT: line.code, REASON: line.reason, SERIAL: line.serial,
            REFERENCE: line.reference,
        }
        records.append(_render_record(spec, spec.return_detail, values,
                                      line.seq))
    counted = lines
    if spec.return_totals == TOTALS_SUCCESS:
        counted = [line for line in lines
                   if line.code in spec.success_codes]
    total = sum((Decimal(line.amount) for line in counted), Decimal(0))
    totals = {
        BATCH: batch, DATE: file_date, COUNT: len(counted),
        TOTAL: _format_total(total, spec.amount_unit),
    }
    if spec.return_header:
        records.insert(0, _render_record(spec, spec.return_header, totals,
                                         "header"))
    if spec.return_trailer:
        records.append(_render_record(spec, spec.return_trailer, totals,
                                      "trailer"))
    ending = spec.line_ending.encode("ascii")
    return b"".join(record + ending for record in records)


def _split_record(spec, names, raw, number):
    """The texts of the fields of ``raw`` (one record of the file)."""
    if spec.layout == DELIMITED:
        if spec.trailing_delimiter and raw.endswith(spec.delimiter):
            raw = raw[:-len(spec.delimiter)]
        parts = raw.split(spec.delimiter)
        if len(parts) != len(names):
            raise DebitFileError(MALFORMED, line=number, expected=len(names),
                                 found=len(parts))
        return parts
    data = raw.encode(spec.encoding)
    widths = [len(name[1:].encode(spec.encoding)) if _is_constant(name)
              else spec.widths[name] for name in names]
    expected = sum(widths)
    if len(data) < expected or data[expected:].strip(b" "):
        raise DebitFileError(MALFORMED, line=number, expected=expected,
                             found=len(data))
    parts = []
    offset = 0
    for width in widths:
        chunk = data[offset:offset + width]
        offset += width
        try:
            parts.append(chunk.decode(spec.encoding))
        except UnicodeDecodeError:
            # a column boundary inside a character: the widths do not fit
            raise DebitFileError(MALFORMED, line=number, expected=expected,
                                 found=len(data))
    return parts


def _read_record(spec, names, raw, number):
    values = {}
    for name, text in zip(names, _split_record(spec, names, raw, number)):
        if _is_constant(name):
            if text.strip() != name[1:]:
                raise DebitFileError(BAD_CONSTANT, line=number,
                                     expected=name[1:], found=text.strip())
            continue
        if name == IGNORED:
            continue
        text = text.strip()
        if name in INTEGER_FIELDS:
            values[name] = _parse_int(text, name, number)
        elif name in MONEY_FIELDS:
            values[name] = parse_amount(text, spec.amount_unit, line=number)
        elif name == DATE:
            values[name] = _parse_date(text, number) if text else None
        else:
            values[name] = text
    return values


# -- matching a return file with its request --------------------------------------

Requested = namedtuple("Requested", "key seq agreement amount")
Outcome = namedtuple("Outcome", "key line status")


def match_return(requested, lines, answered=()):
    """What each return line does to the request it answers.

    ``requested``: the request's lines (:class:`Requested`, ``key`` the
    caller's id); ``lines``: the :class:`ReturnLine` of the file;
    ``answered``: keys already answered by an earlier import. A line is
    found by its sequence, else by its agreement number (which must then be
    unique in the request); when it carries both, both must agree.

    Returns one :class:`Outcome` per line: ``PAID`` (debited, the amount
    requested), ``AMOUNT_MISMATCH`` (debited another amount: not taken as a
    payment), ``FAILED`` (the bank refused: see the line's code and reason)
    or ``ALREADY_ANSWERED`` (nothing to do). A line that answers no request
    line raises ``UNKNOWN_LINE``; an agreement shared by two request lines,
    ``AMBIGUOUS_LINE``; two lines answering one request line,
    ``DUPLICATE_LINE``: the file is refused as a whole.

    >>> request = [Requested(10, 1, "M1", Decimal("250.60")),
    ...            Requested(11, 2, "M2", Decimal("99.00"))]
    >>> def back(seq, amount, code):
    ...     return ReturnLine(seq, "B", seq, None, None, None,
    ...                       Decimal(amount), code, "", "", "", None,
    ...                       code == "0000")
    >>> [o.status for o in match_return(request, [
    ...     back(1, "250.60", "0000"), back(2, "99.00", "3008")])]
    ['paid', 'failed']
    >>> match_return(request, [back(1, "250.00", "0000")])[0].status
    'amount_mismatch'
    >>> match_return(request, [back(1, "250.60", "0000")],
    ...              answered={10})[0].status
    'already_answered'
    """
    by_seq = {}
    by_agreement = {}
    for item in requested:
        if item.seq is not None:
            by_seq[item.seq] = item
        if item.agreement:
            by_agreement.setdefault(item.agreement, []).append(item)
    answered = set(answered)
    outcomes = []
    matched = set()
    for line in lines:
        if line.seq is not None:
            item = by_seq.get(line.seq)
            if item is not None and line.agreement and (
                    line.agreement != item.agreement):
                item = None
        else:
            candidates = by_agreement.get(line.agreement or "", [])
            if len(candidates) > 1:
                raise DebitFileError(AMBIGUOUS_LINE, line=line.line,
                                     agreement=line.agreement)
            item = candidates[0] if candidates else None
        if item is None:
            raise DebitFileError(UNKNOWN_LINE, line=line.line, seq=line.seq,
                                 agreement=line.agreement)
        if item.key in matched:
            raise DebitFileError(DUPLICATE_LINE, line=line.line, key=item.key)
        matched.add(item.key)
        if item.key in answered:
            status = ALREADY_ANSWERED
        elif not line.success:
            status = FAILED
        elif line.amount != Decimal(item.amount).quantize(CENT):
            status = AMOUNT_MISMATCH
        else:
            status = PAID
        outcomes.append(Outcome(item.key, line, status))
    return outcomes
