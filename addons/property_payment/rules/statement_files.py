"""Reading a bank's statement export (CSV, XLS, XLSX) with a saved mapping.

Chinese banks export statements as spreadsheets of their own shape: a preamble
(账号, 户名, 起止日期), a header row, one row per transaction with separate
借方发生额 (debit: money out) and 贷方发生额 (credit: money in) columns, and
totals rows at the end. A ``Mapping`` says where everything is; ``parse``
turns the file into ``Transaction``s (amounts signed: credits positive) and
row-numbered errors ``(row, code, params)`` that the ORM words in the user's
language. The file is read by ``property_billing.rules.register_import``'s
table readers, with the same limits; CSV files decode as GB18030 by default,
never as GBK (whose codec fails on rare characters in names).

>>> data = ("账号:6222000011112222,,,\\n"
...         "交易日期,贷方发生额,对方户名,流水号\\n"
...         "2026-03-05,\\"1,200.50\\",王䶮,SN001\\n"
...         "合计,1200.50,,\\n").encode("gb18030")
>>> result = parse(data, "statement.csv", Mapping(
...     skip_header=1, skip_footer=1, date_column="交易日期",
...     credit_column="贷方发生额", name_column="对方户名",
...     serial_column="流水号"))
>>> result.errors
[]
>>> tx = result.transactions[0]
>>> tx.row, tx.date, tx.amount, tx.name, tx.serial
(3, datetime.date(2026, 3, 5), Decimal('1200.50'), '王䶮', 'SN001')
"""
import codecs
import datetime
import hashlib
import re
from collections import namedtuple
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

try:  # inside Odoo
    from odoo.addons.property_billing.rules import register_import as tables
except ImportError:  # the rules tests, without Odoo (tests/conftest.py)
    from property_billing.rules import register_import as tables

CENT = Decimal("0.01")

DEFAULT_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d",
    "%Y%m%d",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y%m%d %H:%M:%S",
    "%Y%m%d%H%M%S",
    "%Y.%m.%d",
    "%Y年%m月%d日",
)
TIME_FORMATS = ("%H:%M:%S", "%H%M%S", "%H:%M")

# columns of a mapping: (field of Mapping, key of the transaction)
COLUMN_FIELDS = (
    "date_column",
    "time_column",
    "amount_column",
    "debit_column",
    "credit_column",
    "serial_column",
    "name_column",
    "account_column",
    "memo_column",
    "balance_column",
)

# how far below ``skip_header`` the header row is looked for
HEADER_SEARCH_ROWS = 30

_MAPPING_FIELDS = (
    "skip_header skip_footer has_header " + " ".join(COLUMN_FIELDS) + " "
    "date_formats thousands_sep decimal_sep encoding delimiter inverse_sign"
)


class Mapping(namedtuple("Mapping", _MAPPING_FIELDS)):
    """Where a bank's file keeps each value.

    - ``skip_header``: rows before the header row (the preamble); the header
      is the first row at or below it that holds every mapped column name;
    - ``skip_footer``: non-empty rows at the end that are not transactions
      (合计, 期末余额);
    - ``has_header``: False when the file has no header row: columns are
      then numbers;
    - ``*_column``: a header text (several accepted texts separated by
      ``|``) or a column number counted from 1; ``amount_column`` (signed)
      OR ``debit_column`` / ``credit_column``;
    - ``date_formats``: ``strptime`` formats tried in order (a list, or text
      with one format per line); ``time_column`` adds the time of day;
    - ``thousands_sep`` / ``decimal_sep``: as printed in amounts;
    - ``encoding``: of a CSV file (default GB18030; GBK reads as GB18030);
      ``delimiter``: of a CSV file, sniffed when empty;
    - ``inverse_sign``: the amount column counts money out as positive.
    """

    __slots__ = ()

    def __new__(cls, skip_header=0, skip_footer=0, has_header=True,
                date_column=None, time_column=None, amount_column=None,
                debit_column=None, credit_column=None, serial_column=None,
                name_column=None, account_column=None, memo_column=None,
                balance_column=None, date_formats=DEFAULT_DATE_FORMATS,
                thousands_sep=",", decimal_sep=".", encoding="gb18030",
                delimiter=None, inverse_sign=False):
        return super().__new__(
            cls, skip_header or 0, skip_footer or 0, has_header,
            date_column, time_column, amount_column, debit_column,
            credit_column, serial_column, name_column, account_column,
            memo_column, balance_column, date_formats, thousands_sep,
            decimal_sep, encoding or "gb18030", delimiter or None,
            bool(inverse_sign))

    @classmethod
    def of(cls, value):
        """A Mapping from a Mapping, a dict or any object with the fields
        as attributes (empty values count as not mapped)."""
        if isinstance(value, cls):
            return value
        if isinstance(value, dict):
            values = value
        else:
            values = {name: getattr(value, name) for name in cls._fields
                      if hasattr(value, name)}
        unknown = set(values) - set(cls._fields)
        if unknown:
            raise TypeError("unknown mapping fields: %s"
                            % ", ".join(sorted(unknown)))
        return cls(**{key: val for key, val in values.items()
                      if val not in (None, False, "") or key in (
                          "has_header", "inverse_sign")})

    def formats(self):
        formats = self.date_formats or DEFAULT_DATE_FORMATS
        if isinstance(formats, str):
            formats = [line.strip() for line in formats.splitlines()]
        return [fmt for fmt in formats if fmt]

    def columns(self):
        """{field: spec} of the mapped columns."""
        return {name: getattr(self, name) for name in COLUMN_FIELDS
                if not _empty(getattr(self, name))}


Transaction = namedtuple(
    "Transaction",
    "row date amount serial name account memo balance time import_id")
Transaction.__doc__ = """One transaction of the file.

``row``: the row number the user sees (first row = 1); ``amount``: a signed
Decimal, money in (贷方) positive; ``serial``: the bank's 流水号 or '';
``import_id``: what makes the transaction unique across files (the date and
the serial, or, without a serial column, a digest of the row's values and its
occurrence in the file).
"""

Statement = namedtuple(
    "Statement",
    "transactions errors balance_start balance_end date_from date_to")
Statement.__doc__ = """What ``parse`` found: ``errors`` is a list of
``(row, code, params)`` (row 0: the file or the mapping as a whole); when it
is not empty the file must not be imported. Balances are Decimals or None."""


def _empty(value):
    return value is None or value is False or (
        isinstance(value, str) and not value.strip())


def column_number(spec):
    """The 0-based index of a column given by number (1-based), else None.

    >>> column_number(3), column_number("3"), column_number("贷方发生额")
    (2, 2, None)
    """
    if isinstance(spec, bool):
        return None
    if isinstance(spec, int):
        return spec - 1 if spec > 0 else None
    text = str(spec).strip()
    if text.isdigit() and int(text) > 0:
        return int(text) - 1
    return None


def header_names(spec):
    """The normalized header texts accepted for a column spec."""
    return [tables.normalize_header(part) for part in str(spec).split("|")
            if part.strip()]


def check_mapping(mapping):
    """Errors ``(0, code, params)`` of a mapping that cannot read any file.

    >>> check_mapping(Mapping(amount_column="金额"))
    [(0, 'no_date_column', {})]
    >>> [e[1] for e in check_mapping(Mapping(
    ...     date_column=1, amount_column=2, credit_column=3,
    ...     decimal_sep=",", encoding="klingon"))]
    ['amount_and_debit_credit', 'same_separators', 'unknown_encoding']
    """
    mapping = Mapping.of(mapping)
    errors = []
    columns = mapping.columns()
    if "date_column" not in columns:
        errors.append((0, "no_date_column", {}))
    has_amount = "amount_column" in columns
    has_split = "debit_column" in columns or "credit_column" in columns
    if not has_amount and not has_split:
        errors.append((0, "no_amount_column", {}))
    if has_amount and has_split:
        errors.append((0, "amount_and_debit_credit", {}))
    if not mapping.has_header:
        for name, spec in sorted(columns.items()):
            if column_number(spec) is None:
                errors.append((0, "column_needs_number",
                               {"column": str(spec)}))
    if (mapping.thousands_sep or "") == (mapping.decimal_sep or "."):
        errors.append((0, "same_separators", {}))
    try:
        codecs.lookup(mapping.encoding)
    except LookupError:
        errors.append((0, "unknown_encoding", {"encoding": mapping.encoding}))
    if not mapping.formats():
        errors.append((0, "no_date_format", {}))
    return errors


# --- values ---------------------------------------------------------------

_CURRENCY_MARKS = re.compile(r"(¥|￥|元|RMB|CNY)", re.I)


def parse_amount(value, thousands_sep=",", decimal_sep="."):
    """A Decimal from a cell (None when empty; ValueError when not a number).

    Accepts thousands separators, a currency mark, a leading '+' or '-', a
    trailing '-' and accounting brackets for negatives.

    >>> parse_amount("1,200.50"), parse_amount("￥-3.2"), parse_amount("")
    (Decimal('1200.50'), Decimal('-3.20'), None)
    >>> parse_amount("1.200,50", ".", ","), parse_amount("(45.00)")
    (Decimal('1200.50'), Decimal('-45.00'))
    >>> parse_amount(12.3)
    Decimal('12.30')
    >>> parse_amount("12.3.4")
    Traceback (most recent call last):
    ...
    ValueError: 12.3.4
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, Decimal)):
        return Decimal(value).quantize(CENT, ROUND_HALF_UP)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(value)
        return Decimal(repr(value)).quantize(CENT, ROUND_HALF_UP)
    text = tables.cell_text(value)
    text = _CURRENCY_MARKS.sub("", text).replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    negative = False
    if text.startswith("(") and text.endswith(")") or (
            text.startswith("（") and text.endswith("）")):
        negative, text = True, text[1:-1]
    if text.endswith("-"):
        negative, text = not negative, text[:-1]
    if thousands_sep:
        text = text.replace(thousands_sep, "")
    if decimal_sep and decimal_sep != ".":
        text = text.replace(decimal_sep, ".")
    if not re.match(r"^[+-]?(\d+(\.\d*)?|\.\d+)$", text):
        raise ValueError(value)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(value)
    amount = amount.quantize(CENT, ROUND_HALF_UP)
    return -amount if negative else amount


def parse_when(value, formats):
    """(date, time or None) of a date cell, tried with ``formats`` in order;
    ValueError when none fits.

    >>> parse_when("2026-03-05 09:30:00", DEFAULT_DATE_FORMATS)
    (datetime.date(2026, 3, 5), datetime.time(9, 30))
    >>> parse_when("20260305", ["%Y%m%d"])
    (datetime.date(2026, 3, 5), None)
    >>> parse_when("2026-02-30", DEFAULT_DATE_FORMATS)
    Traceback (most recent call last):
    ...
    ValueError: 2026-02-30
    """
    if isinstance(value, datetime.datetime):
        time = value.time()
        return value.date(), (time if time != datetime.time(0) else None)
    if isinstance(value, datetime.date):
        return value, None
    if isinstance(value, float) and value.is_integer():
        value = str(int(value))  # 20260305 read as a number from XLS
    text = " ".join(str(value or "").replace("\u3000", " ").split())
    for fmt in formats:
        try:
            moment = datetime.datetime.strptime(text, fmt)
        except ValueError:
            continue
        has_time = any(code in fmt for code in ("%H", "%M", "%S"))
        return moment.date(), (moment.time() if has_time else None)
    raise ValueError(text)


def parse_time(value):
    """The time of a separate time column (None when empty; ValueError)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.time()
    if isinstance(value, datetime.time):
        return value
    if isinstance(value, float) and 0 <= value < 1:  # an Excel time fraction
        seconds = int(round(value * 86400))
        return datetime.time(seconds // 3600, seconds // 60 % 60, seconds % 60)
    text = tables.cell_text(value)
    if not text:
        return None
    for fmt in TIME_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    raise ValueError(text)


def text_of(value):
    """A text cell, blanks collapsed (accounts read as numbers lose '.0')."""
    return " ".join(tables.cell_text(value).split())


# --- reading --------------------------------------------------------------


def read_rows(data, filename, mapping, limits=None):
    """The rows of the file, or ``ImportFileError`` (codes of
    ``register_import.read_table`` plus ``wrong_encoding``)."""
    limits = limits or tables.Limits(max_rows=100000)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") and \
            not mapping.encoding.lower().startswith("utf-16"):
        raise tables.ImportFileError(
            "wrong_encoding",
            {"encoding": mapping.encoding, "detected": "UTF-16"})
    return tables.read_table(data, filename, limits,
                             encoding=mapping.encoding,
                             delimiter=mapping.delimiter)


def _looks_utf8(data):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any(ord(char) > 127 for char in text)


def _is_csv(filename, data):
    return tables.file_kind(filename, data) == "csv"


def find_header(table, mapping):
    """(index of the header row, {field: column index}, missing) where
    ``missing`` lists the column specs not found (then the index is the
    expected header row)."""
    columns = mapping.columns()
    start = mapping.skip_header
    if not mapping.has_header:
        return start - 1, {name: column_number(spec)
                           for name, spec in columns.items()}, []
    best = None
    for index in range(start, min(len(table), start + HEADER_SEARCH_ROWS)):
        cells = [tables.normalize_header(cell) for cell in table[index]]
        found, missing = {}, []
        for name, spec in columns.items():
            number = column_number(spec)
            if number is not None:
                found[name] = number
                continue
            names = header_names(spec)
            position = next((i for i, cell in enumerate(cells)
                             if cell in names), None)
            if position is None:
                missing.append(str(spec))
            else:
                found[name] = position
        if not missing:
            return index, found, []
        if best is None:
            best = (index, found, missing)
    if best is None:
        return start, {}, [str(spec) for spec in columns.values()]
    return best


def parse(data, filename, mapping, limits=None):
    """Read a statement file with ``mapping``: a ``Statement``.

    Every problem is an error ``(row, code, params)``; nothing is guessed:
    a row whose date or amount does not read is an error, not skipped.
    """
    mapping = Mapping.of(mapping)
    errors = check_mapping(mapping)
    if errors:
        return Statement([], errors, None, None, None, None)
    try:
        table = read_rows(data, filename, mapping, limits)
    except tables.ImportFileError as error:
        code, params = error.code, dict(error.params)
        if code == "bad_encoding" and _is_csv(filename, data):
            params.setdefault("encoding", mapping.encoding)
            if _looks_utf8(data):
                code, params["detected"] = "wrong_encoding", "UTF-8"
        return Statement([], [(params.pop("row", 0), code, params)],
                         None, None, None, None)
    header, columns, missing = find_header(table, mapping)
    if missing:
        if _is_csv(filename, data) and _looks_utf8(data) and \
                not mapping.encoding.lower().startswith("utf"):
            return Statement([], [(0, "wrong_encoding", {
                "encoding": mapping.encoding, "detected": "UTF-8"})],
                None, None, None, None)
        return Statement([], [
            (header + 1, "missing_column", {"column": spec})
            for spec in missing], None, None, None, None)
    body = list(enumerate(table[header + 1:], start=header + 2))
    body = [(number, row) for number, row in body
            if any(tables.cell_text(cell) for cell in row)]
    if mapping.skip_footer:
        body = body[:-mapping.skip_footer] if \
            len(body) > mapping.skip_footer else []
    reader = _RowReader(mapping, columns, table[header] if header >= 0
                        else None)
    transactions, errors, seen = [], [], {}
    for number, row in body:
        transaction, row_errors = reader.read_row(number, row)
        if transaction is not None and transaction.serial:
            first = seen.setdefault(transaction.import_id, number)
            if first != number:
                row_errors.append((number, "duplicate_serial", {
                    "serial": transaction.serial, "first_row": first}))
        if row_errors:
            errors.extend(row_errors)
        elif transaction is not None:
            transactions.append(transaction)
    if not transactions and not errors:
        errors.append((0, "no_transactions", {}))
    if errors:
        return Statement([], errors, None, None, None, None)
    transactions = _digest_ids(transactions)
    return Statement(transactions, [], *_balances(transactions),
                     min(t.date for t in transactions),
                     max(t.date for t in transactions))


def _balances(transactions):
    """(start, end) balances when the file has them, in either order."""
    if transactions[0].balance is None or transactions[-1].balance is None:
        return None, None
    ordered = transactions
    if transactions[0].date > transactions[-1].date:
        ordered = list(reversed(transactions))
    first, last = ordered[0], ordered[-1]
    return first.balance - first.amount, last.balance


def _digest_ids(transactions):
    """Transactions without a serial get an id from their values and their
    occurrence (the n-th identical row of the file)."""
    counts, result = {}, []
    for tx in transactions:
        if tx.serial:
            result.append(tx)
            continue
        key = "|".join(str(part) for part in (
            tx.date, tx.time or "", tx.amount, tx.name, tx.account, tx.memo,
            tx.balance if tx.balance is not None else ""))
        counts[key] = counts.get(key, 0) + 1
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]
        result.append(tx._replace(
            import_id="h%s-%d" % (digest, counts[key])))
    return result


class _RowReader(object):
    def __init__(self, mapping, columns, header):
        self.mapping = mapping
        self.columns = columns
        self.formats = mapping.formats()
        self.header = header

    def label(self, name):
        """The column as the user sees it: its header text, else its spec."""
        index = self.columns[name]
        if self.header is not None and index < len(self.header):
            text = tables.cell_text(self.header[index])
            if text:
                return text
        return str(getattr(self.mapping, name))

    def cell(self, row, name):
        index = self.columns.get(name)
        if index is None or index >= len(row):
            return None
        return row[index]

    def read_row(self, number, row):
        errors = []

        def error(code, name, value):
            errors.append((number, code, {
                "column": self.label(name), "value": tables.cell_text(value)}))

        raw_date = self.cell(row, "date_column")
        date = time = None
        if _empty(raw_date):
            error("empty_date", "date_column", raw_date)
        else:
            try:
                date, time = parse_when(raw_date, self.formats)
            except ValueError:
                error("bad_date", "date_column", raw_date)
        if "time_column" in self.columns:
            raw_time = self.cell(row, "time_column")
            try:
                time = parse_time(raw_time) or time
            except ValueError:
                error("bad_time", "time_column", raw_time)
        amount = self.amount(row, error)
        balance = None
        if "balance_column" in self.columns:
            raw = self.cell(row, "balance_column")
            try:
                balance = self.number(raw)
            except ValueError:
                error("bad_amount", "balance_column", raw)
        serial = text_of(self.cell(row, "serial_column"))
        if "serial_column" in self.columns and not serial:
            error("empty_serial", "serial_column", "")
        if errors:
            return None, errors
        return Transaction(
            number, date, amount, serial,
            text_of(self.cell(row, "name_column")),
            text_of(self.cell(row, "account_column")),
            text_of(self.cell(row, "memo_column")),
            balance, time,
            "%s-%s" % (date.isoformat(), serial) if serial else ""), []

    def number(self, value):
        return parse_amount(value, self.mapping.thousands_sep,
                            self.mapping.decimal_sep)

    def amount(self, row, error):
        if "amount_column" in self.columns:
            raw = self.cell(row, "amount_column")
            try:
                amount = self.number(raw)
            except ValueError:
                error("bad_amount", "amount_column", raw)
                return None
            if amount is None:
                error("empty_amount", "amount_column", raw)
                return None
            return -amount if self.mapping.inverse_sign else amount
        values = {}
        for name in ("debit_column", "credit_column"):
            if name not in self.columns:
                continue
            raw = self.cell(row, name)
            try:
                values[name] = self.number(raw)
            except ValueError:
                error("bad_amount", name, raw)
                return None
        debit = values.get("debit_column") or Decimal(0)
        credit = values.get("credit_column") or Decimal(0)
        if debit and credit:
            error("debit_and_credit", "credit_column",
                  self.cell(row, "credit_column"))
            return None
        if not debit and not credit:
            name = "credit_column" if "credit_column" in self.columns \
                else "debit_column"
            error("empty_amount", name, self.cell(row, name))
            return None
        # 借方 is money out of the account, 贷方 money in (a negative debit,
        # a reversal, is money in)
        return (credit - debit).quantize(CENT, ROUND_HALF_UP)
