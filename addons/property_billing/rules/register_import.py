"""Reading and checking a register spreadsheet: one row per unit, maybe with its owner.

Everything here is plain Python: the wizard ``property.register.import`` reads the
uploaded bytes with :func:`read_table`, checks every row with :func:`parse_table`
and only then touches the database. Errors are ``(row_number, code, params)``
tuples; the row number is the one the user sees in the spreadsheet (header = 1),
the code names the problem and the wizard turns it into a translated sentence.

>>> table = [["estate_code", "unit_code", "area", "owner_name", "owner_mobile"],
...          ["CHHY", "3-2-1502", "89.5", "张三", "+86 138 0013 8000"]]
>>> result = parse_table(table, today=datetime.date(2026, 1, 1))
>>> result.errors
[]
>>> row = result.rows[0]
>>> row.row, row.estate_code, row.unit["code"], row.unit["area"]
(2, 'CHHY', '3-2-1502', 89.5)
>>> row.owner["mobile"], row.owner["date_from"]
('13800138000', datetime.date(2026, 1, 1))
"""

import csv
import datetime
import io
import re
import zipfile
from collections import namedtuple

# --- columns -------------------------------------------------------------------

# canonical key -> accepted headers (compared after normalize_header()).
COLUMNS = [
    (
        "estate_code",
        ["estate_code", "estate", "小区编码", "小区代码", "项目编码", "小区"],
    ),
    ("building", ["building", "building_name", "楼栋", "楼栋名称", "楼号"]),
    ("unit_code", ["unit_code", "unit", "code", "房号", "房屋编码", "房屋编号"]),
    ("floor", ["floor", "楼层"]),
    ("unit_type", ["unit_type", "type", "房屋类型", "类型"]),
    ("area", ["area", "building_area", "建筑面积", "面积"]),
    ("inner_area", ["inner_area", "套内面积"]),
    ("state", ["state", "状态", "交付状态", "房屋状态"]),
    ("delivery_date", ["delivery_date", "交付日期"]),
    ("owner_name", ["owner_name", "owner", "业主姓名", "业主", "姓名"]),
    (
        "owner_mobile",
        ["owner_mobile", "mobile", "手机", "手机号", "手机号码", "业主手机"],
    ),
    (
        "owner_email",
        ["owner_email", "email", "e-mail", "邮箱", "电子邮箱", "电子邮件", "业主邮箱"],
    ),
    (
        "contact_channel",
        ["contact_channel", "channel", "联系方式", "联系渠道", "首选联系方式"],
    ),
    ("sms_consent", ["sms_consent", "短信同意", "同意短信", "接收短信"]),
    ("owner_since", ["owner_since", "入住日期", "业主起始日期", "收房日期"]),
]
REQUIRED_COLUMNS = ("estate_code", "unit_code", "area")
OWNER_COLUMNS = (
    "owner_mobile",
    "owner_email",
    "contact_channel",
    "sms_consent",
    "owner_since",
)

# Header of the downloadable template, in column order: "key/中文".
TEMPLATE_HEADER = [
    "estate_code/小区编码",
    "building/楼栋",
    "unit_code/房号",
    "floor/楼层",
    "unit_type/房屋类型",
    "area/建筑面积",
    "inner_area/套内面积",
    "state/状态",
    "delivery_date/交付日期",
    "owner_name/业主姓名",
    "owner_mobile/手机",
    "owner_email/邮箱",
    "contact_channel/联系方式",
    "sms_consent/短信同意",
    "owner_since/入住日期",
]


def normalize_header(text):
    """Lower-case, without blanks, '*' marks and a trailing unit in brackets.

    >>> normalize_header(" 建筑面积（㎡）* ")
    '建筑面积'
    >>> normalize_header("Owner Mobile")
    'owner_mobile'
    """
    text = str(text or "").strip().lower().replace("*", "")
    text = re.sub(r"[(（\[].*?[)）\]]\s*$", "", text).strip()
    return re.sub(r"[\s\-]+", "_", text).replace("e_mail", "e-mail")


_ALIASES = {}
for _key, _names in COLUMNS:
    for _name in _names:
        _ALIASES[normalize_header(_name)] = _key


def column_key(header):
    """Canonical key of a header cell, or None.

    A header may also be written "key/中文" (as in the template): either part counts.
    """
    text = normalize_header(header)
    if text in _ALIASES:
        return _ALIASES[text]
    for part in re.split(r"[/|]", text):
        part = part.strip("_ ")
        if part in _ALIASES:
            return _ALIASES[part]
    return None


# --- values --------------------------------------------------------------------

UNIT_TYPE_VALUES = {
    "residential": ["residential", "住宅", "住房", "公寓"],
    "commercial": ["commercial", "商铺", "商业", "商用", "底商"],
    "parking": ["parking", "parking space", "车位", "停车位", "车库"],
    "storage": ["storage", "storage room", "储藏室", "储藏间", "储物间", "地下室"],
}
STATE_VALUES = {
    "undelivered": ["undelivered", "未交付"],
    "vacant": ["vacant", "空置", "已交付空置"],
    "occupied": ["occupied", "已入住", "入住"],
    "decorating": ["decorating", "装修中", "装修"],
}
CHANNEL_VALUES = {
    "sms": ["sms", "短信"],
    "phone": ["phone", "phone call", "电话"],
    "email": ["email", "e-mail", "邮件", "电子邮件"],
    "portal": ["portal", "app", "portal / app", "门户", "门户/app", "网站"],
    "wechat": ["wechat", "微信"],
    "letter": ["letter", "printed letter", "信函", "书面", "纸质"],
}
BOOLEAN_VALUES = {
    True: ["是", "yes", "y", "1", "true", "同意"],
    False: ["否", "no", "n", "0", "false", "不同意"],
}


def _lookup(table):
    return {alias.lower(): code for code, aliases in table.items() for alias in aliases}


_UNIT_TYPES = _lookup(UNIT_TYPE_VALUES)
_STATES = _lookup(STATE_VALUES)
_CHANNELS = _lookup(CHANNEL_VALUES)
_BOOLEANS = _lookup(BOOLEAN_VALUES)

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def cell_text(value):
    """A cell as stripped text; integral floats (as spreadsheets give them) lose '.0'.

    >>> cell_text(13800138000.0), cell_text(" 3-2-1502 "), cell_text(None)
    ('13800138000', '3-2-1502', '')
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    return str(value).replace("\u3000", " ").strip()


def parse_number(value):
    """Float from a cell (also '89.50㎡', '1,089.5'); None when not a number."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = cell_text(value).replace(",", "").replace("，", "")
    text = re.sub(r"\s*(㎡|m²|m2|平方米|平米)$", "", text, flags=re.I)
    try:
        number = float(text)
    except ValueError:
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return number


def parse_date(value):
    """A date from a cell: a date object, 2026-01-31, 2026/1/31, 2026.1.31,
    2026年1月31日 or 20260131.

    Returns None when the text is not a real date.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    match = _DATE_RE.match(text)
    if match:
        parts = match.groups()
    elif re.match(r"^\d{8}$", text):
        parts = (text[:4], text[4:6], text[6:])
    else:
        return None
    try:
        return datetime.date(*(int(p) for p in parts))
    except ValueError:
        return None


def normalize_mobile(value):
    """The 11 digits of a mainland mobile number, or None.

    Blanks, dashes and a +86 / 0086 / 86 prefix are allowed.

    >>> normalize_mobile("+86 138-0013-8000"), normalize_mobile("12345")
    ('13800138000', None)
    """
    text = re.sub(r"[\s\-()（）]", "", cell_text(value))
    for prefix in ("+86", "0086"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    if len(text) == 13 and text.startswith("86"):
        text = text[2:]
    return text if MOBILE_RE.match(text) else None


def is_email(value):
    return bool(EMAIL_RE.match(value))


# --- reading files -------------------------------------------------------------


class Limits(
    namedtuple(
        "Limits",
        "max_file_bytes max_unpacked_bytes max_rows max_columns max_cell_chars "
        "max_sheet_rows",
    )
):
    """What an uploaded table may hold; beyond it the file is refused.

    ``max_rows`` counts the data rows (the header excluded); ``max_sheet_rows``
    is where reading stops even when the rows beyond ``max_rows`` are empty
    (Excel's own last row).
    """

    __slots__ = ()

    def __new__(
        cls,
        max_file_bytes=10 * 1024 * 1024,
        max_unpacked_bytes=40 * 1024 * 1024,
        max_rows=20000,
        max_columns=100,
        max_cell_chars=1000,
        max_sheet_rows=1048576,
    ):
        return super().__new__(
            cls,
            max_file_bytes,
            max_unpacked_bytes,
            max_rows,
            max_columns,
            max_cell_chars,
            max_sheet_rows,
        )


class ImportFileError(Exception):
    """The file cannot be read at all: ``code`` and ``params`` for the message."""

    def __init__(self, code, params=None):
        super().__init__(code)
        self.code = code
        self.params = params or {}


# GBK and GB2312 are subsets of GB18030: Python's ``gbk`` codec fails on rare
# characters in names (䶮, 𠀀), so they are always read as GB18030.
ENCODING_SUPERSETS = {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030"}


def decode_text(data, encoding=None):
    """Text of a CSV file: UTF-8 (with or without BOM), else GB18030 (covers GBK).

    With ``encoding`` (a bank's saved mapping) only that codec is tried (GBK
    and GB2312 read as GB18030); a UTF-8 byte-order mark still means UTF-8.

    >>> decode_text("䶮".encode("gb18030"), encoding="gbk")
    '䶮'
    """
    if encoding:
        encoding = ENCODING_SUPERSETS.get(encoding.lower(), encoding)
        encodings = ("utf-8-sig",) if data[:3] == b"\xef\xbb\xbf" else (encoding,)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for name in encodings:
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    raise ImportFileError("bad_encoding", {"encoding": encoding or ""})


class TableGuard(object):
    """Collects the rows of an uploaded table within ``Limits``.

    Rows beyond ``max_rows`` and cells beyond ``max_columns`` are refused
    when they hold something (empty trailing cells and rows, as Excel leaves
    them after formatting, are ignored); a cell longer than ``max_cell_chars``
    or holding a NUL character is refused. Errors are ``ImportFileError``.
    """

    def __init__(self, limits):
        self.limits = limits
        self.table = []
        self.number = 0

    def add(self, cells):
        """Add the next row (any iterable of raw cells); False when the
        reader may stop (nothing after the limit is read)."""
        self.number += 1
        limits = self.limits
        cells = list(cells)
        while cells and not cell_text(cells[-1]):
            cells.pop()
        if self.number > limits.max_rows + 1:  # the header is not counted
            if cells:
                raise ImportFileError("too_many_rows", {"limit": limits.max_rows})
            return self.number <= limits.max_sheet_rows
        if len(cells) > limits.max_columns:
            raise ImportFileError(
                "too_many_columns", {"limit": limits.max_columns, "row": self.number}
            )
        for index, cell in enumerate(cells):
            if isinstance(cell, str):
                if len(cell) > limits.max_cell_chars:
                    raise ImportFileError(
                        "cell_too_long",
                        {
                            "limit": limits.max_cell_chars,
                            "row": self.number,
                            "column": index + 1,
                        },
                    )
                if "\x00" in cell:
                    raise ImportFileError("nul_byte", {"row": self.number})
        self.table.append(cells)
        return True


def read_csv(data, limits=None, encoding=None, delimiter=None):
    """Rows of a CSV file; ``encoding`` and ``delimiter`` (else sniffed) as in
    a saved mapping (see ``decode_text``)."""
    limits = limits or Limits()
    text = decode_text(data, encoding)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ImportFileError("nul_byte", {"row": line})
    try:
        if not delimiter:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
            delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    guard = TableGuard(limits)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            if not guard.add(row):
                break
    except csv.Error:
        # the csv module's own field limit (128 KiB) or a broken quote
        raise ImportFileError(
            "bad_csv", {"limit": limits.max_cell_chars, "row": reader.line_num}
        )
    return guard.table


def read_xls(data, limits=None):
    """First sheet of a (BIFF) XLS file with xlrd 1.2, dates as ``datetime.date``."""
    import xlrd  # external dependency declared in the manifest

    limits = limits or Limits()
    try:
        # ragged rows: no row is padded up to the widest one
        book = xlrd.open_workbook(
            file_contents=data, on_demand=True, ragged_rows=True
        )
        sheet = book.sheet_by_index(0)
    except Exception:  # xlrd raises many types for a broken file
        raise ImportFileError("bad_spreadsheet")
    guard = TableGuard(limits)
    for index in range(sheet.nrows):
        row = []
        for cell in sheet.row_slice(index, 0, limits.max_columns + 1):
            value = cell.value
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    value = datetime.datetime(
                        *xlrd.xldate_as_tuple(value, book.datemode)
                    ).date()
                except (ValueError, xlrd.XLDateError):
                    value = cell_text(value)
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                value = ""
            row.append(value)
        if not guard.add(row):
            break
    return guard.table


def read_xlsx(data, limits=None):
    """First sheet of an XLSX file with openpyxl in read-only mode.

    The sheet's declared dimension is not trusted (a 5 KB file may declare
    A1:XFD1048576): rows are streamed and checked one by one, and the file may
    not unpack to more than ``limits.max_unpacked_bytes``.
    """
    import openpyxl

    limits = limits or Limits()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportFileError("bad_spreadsheet")
    if unpacked > limits.max_unpacked_bytes:
        raise ImportFileError(
            "file_too_large", {"limit": _megabytes(limits.max_unpacked_bytes)}
        )
    guard = TableGuard(limits)
    try:
        book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True
        )
        try:
            sheet = book.worksheets[0]
            sheet.reset_dimensions()
            for row in sheet.iter_rows(values_only=True):
                if not guard.add(
                    value.date()
                    if isinstance(value, datetime.datetime)
                    and value.time() == datetime.time(0)
                    else value
                    for value in row
                ):
                    break
        finally:
            book.close()
    except ImportFileError:
        raise
    except Exception:  # openpyxl raises many types for a broken file
        raise ImportFileError("bad_spreadsheet")
    return guard.table


def _megabytes(size):
    return "%g MB" % round(size / (1024.0 * 1024.0), 1)


def file_kind(filename, data):
    """'csv', 'xlsx', 'xls' or None: from the content's magic bytes for
    spreadsheets, else from the extension."""
    name = (filename or "").lower()
    if data[:4] == b"PK\x03\x04":
        return "xlsx" if not name or name.endswith((".xlsx", ".xls")) else None
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls" if not name or name.endswith((".xlsx", ".xls")) else None
    if name.endswith((".xlsx", ".xls")):
        return "xls"  # not a spreadsheet inside: xlrd says it cannot read it
    if name.endswith((".csv", ".txt")) or not name:
        return "csv"
    return None


def read_table(data, filename, limits=None, encoding=None, delimiter=None):
    """Rows (lists of cells) of an uploaded CSV/XLS/XLSX file, or ImportFileError.

    ``limits`` (default ``Limits()``) bound the file size, rows, columns and
    cell length; nothing beyond them is read. ``encoding`` and ``delimiter``
    apply to CSV only (see ``read_csv``).
    """
    limits = limits or Limits()
    if len(data) > limits.max_file_bytes:
        raise ImportFileError(
            "file_too_large", {"limit": _megabytes(limits.max_file_bytes)}
        )
    kind = file_kind(filename, data)
    if kind is None:
        raise ImportFileError("bad_file_type", {"filename": filename})
    if kind == "csv":
        table = read_csv(data, limits, encoding=encoding, delimiter=delimiter)
    else:
        table = {"xlsx": read_xlsx, "xls": read_xls}[kind](data, limits)
    if not any(any(cell_text(c) for c in row) for row in table):
        raise ImportFileError("empty_file")
    return table


# --- checking rows -------------------------------------------------------------

UnitRow = namedtuple("UnitRow", "row estate_code building unit owner")
UnitRow.__doc__ = """One good row.

``unit``: values of the unit given in the row (code always, others only when filled);
``owner``: None, or a dict name/mobile/email/channel/sms_consent/date_from.
"""
ParseResult = namedtuple("ParseResult", "rows errors")


def map_header(header):
    """(key -> column index, errors) of the header row (row 1)."""
    columns, errors = {}, []
    for index, cell in enumerate(header):
        key = column_key(cell)
        if key is None:
            continue
        if key in columns:
            errors.append((1, "duplicate_column", {"column": cell_text(cell)}))
            continue
        columns[key] = index
    for key in REQUIRED_COLUMNS:
        if key not in columns:
            errors.append((1, "missing_column", {"column": key}))
    return columns, errors


def parse_table(table, today):
    """Check every row of a table whose first row is the header.

    Returns ParseResult(rows=[UnitRow], errors=[(row_number, code, params)]).
    Empty rows are skipped. ``today`` is the owner start date when a row has an
    owner but neither owner_since nor delivery_date.
    """
    if not table:
        return ParseResult([], [(1, "empty_file", {})])
    columns, errors = map_header(table[0])
    if errors:
        return ParseResult([], errors)
    headers = {key: cell_text(table[0][index]) for key, index in columns.items()}
    rows, seen = [], {}
    for number, raw in enumerate(table[1:], start=2):
        cells = {
            key: (raw[index] if index < len(raw) else "")
            for key, index in columns.items()
        }
        if not any(cell_text(v) for v in cells.values()):
            continue
        row, row_errors = parse_row(number, cells, headers, today)
        if row is not None:
            key = (row.estate_code, row.unit["code"])
            if key in seen:
                row_errors.append(
                    (
                        number,
                        "duplicate_unit_code",
                        {"code": row.unit["code"], "first_row": seen[key]},
                    )
                )
            else:
                seen[key] = number
        if row_errors:
            errors.extend(row_errors)
        else:
            rows.append(row)
    return ParseResult(rows, errors)


def parse_row(number, cells, headers, today):
    """(UnitRow or None, errors) of one data row given as {key: raw cell}."""
    return _RowParser(number, cells, headers).parse(today)


class _RowParser(object):
    """Checks one row; every problem found is added to ``errors``."""

    def __init__(self, number, cells, headers):
        self.number = number
        self.cells = cells
        self.headers = headers
        self.text = {key: cell_text(value) for key, value in cells.items()}
        self.errors = []

    def error(self, code, **params):
        self.errors.append((self.number, code, params))

    def date_of(self, key):
        if not self.text.get(key):
            return None
        value = parse_date(self.cells[key])
        if value is None:
            self.error("bad_date", column=self.headers[key], value=self.text[key])
        return value

    def lookup(self, key, table, code):
        """Code of a coded cell (unit type, state, channel), None when empty."""
        if not self.text.get(key):
            return None
        value = table.get(self.text[key].lower())
        if value is None:
            self.error(code, value=self.text[key])
        return value

    def parse(self, today):
        text = self.text
        estate_code = text.get("estate_code")
        if not estate_code:
            self.error("empty_estate_code")
        code = text.get("unit_code")
        if not code:
            self.error("empty_unit_code")
        unit = self.unit_values(code)
        owner = self.owner_values(unit.get("delivery_date") or today)
        row = UnitRow(
            self.number, estate_code, text.get("building") or None, unit, owner
        )
        if self.errors and not (estate_code and code):
            row = None
        return row, self.errors

    def unit_values(self, code):
        text, unit = self.text, {"code": code}
        area = parse_number(self.cells.get("area"))
        if area is None or area <= 0:
            self.error("bad_area", value=text.get("area", ""))
            area = None
        else:
            unit["area"] = round(area, 2)
        if text.get("inner_area"):
            inner = parse_number(self.cells["inner_area"])
            if inner is None or inner <= 0:
                self.error("bad_inner_area", value=text["inner_area"])
            elif area is not None and inner > area:
                self.error(
                    "inner_area_too_large",
                    inner_area=text["inner_area"],
                    area=text["area"],
                )
            else:
                unit["inner_area"] = round(inner, 2)
        if text.get("floor"):
            floor = parse_number(self.cells["floor"])
            if floor is None or not floor.is_integer():
                self.error("bad_floor", value=text["floor"])
            else:
                unit["floor"] = int(floor)
        for key, table, error in (
            ("unit_type", _UNIT_TYPES, "unknown_unit_type"),
            ("state", _STATES, "unknown_state"),
        ):
            if text.get(key):
                unit[key] = self.lookup(key, table, error)
        delivery_date = self.date_of("delivery_date")
        if delivery_date:
            unit["delivery_date"] = delivery_date
        return unit

    def owner_values(self, default_start):
        text = self.text
        if not text.get("owner_name"):
            filled = [self.headers[k] for k in OWNER_COLUMNS if text.get(k)]
            if filled:
                self.error("owner_name_missing", columns=", ".join(filled))
            return None
        owner = {"name": text["owner_name"]}
        if text.get("owner_mobile"):
            owner["mobile"] = normalize_mobile(self.cells["owner_mobile"])
            if owner["mobile"] is None:
                self.error("bad_mobile", value=text["owner_mobile"])
        if text.get("owner_email"):
            if not is_email(text["owner_email"]):
                self.error("bad_email", value=text["owner_email"])
            owner["email"] = text["owner_email"].lower()
        if text.get("contact_channel"):
            owner["channel"] = self.lookup(
                "contact_channel", _CHANNELS, "unknown_channel"
            )
        if text.get("sms_consent"):
            owner["sms_consent"] = _BOOLEANS.get(text["sms_consent"].lower())
            if owner["sms_consent"] is None:
                self.error(
                    "bad_boolean",
                    column=self.headers["sms_consent"],
                    value=text["sms_consent"],
                )
        owner["date_from"] = self.date_of("owner_since") or default_start
        return owner


def template_csv():
    """The downloadable template (UTF-8 with BOM so that Excel shows the Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow(
        [
            "CHHY",
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
            "短信",
            "是",
            "2018-07-15",
        ]
    )
    writer.writerow(
        [
            "CHHY",
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
        ]
    )
    writer.writerow(
        [
            "CHHY",
            "1号楼",
            "1-1-0101",
            "1",
            "商铺",
            "120",
            "",
            "空置",
            "2018-06-30",
            "",
            "",
            "",
            "",
            "",
            "",
        ]
    )
    return "\ufeff" + out.getvalue()
