"""Masking personal data and redacting secrets in texts others may read.

Plain Python: the notice-board copies of billing notices mask the payer's name
and mobile, and the SMS gateway redacts its API key and masks mobiles in every
error it records or logs.

>>> mask_name("张三"), mask_name("欧阳娜娜"), mask_name("Li Lei"), mask_name("")
('张*', '欧***', 'L*****', '')
>>> mask_mobile("13800138000"), mask_mobile("+86 138 0013 8000"), mask_mobile("")
('138****8000', '138****8000', '')
>>> mask_mobiles_in("to 13800138000 and +8613900139000: failed")
'to 138****8000 and 139****9000: failed'
>>> redact("HTTP 401: bad key s3cr3t for 13800138000", ["s3cr3t"])
'HTTP 401: bad key *** for 138****8000'
"""
import re

_MOBILE_IN_TEXT = re.compile(
    r"(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
_DIGITS = re.compile(r"\D")


def mask_name(name):
    """The first character, then one '*' per further character (blanks too,
    so that the length of a name's parts is not told)."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_mobile(mobile):
    """138****8000: the operator prefix and the last four digits. Anything
    that is not a Chinese mobile keeps only its last four digits."""
    digits = _DIGITS.sub("", mobile or "")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix):]
    if not digits:
        return ""
    if len(digits) == 11 and digits.startswith("1"):
        return "%s****%s" % (digits[:3], digits[-4:])
    return "*" * max(len(digits) - 4, 1) + digits[-4:]


def mask_mobiles_in(text):
    """``text`` with every mobile number in it masked."""
    if not text:
        return text
    return _MOBILE_IN_TEXT.sub(
        lambda match: "%s****%s" % (match.group(1), match.group(3)), text)


def redact(text, secrets=()):
    """``text`` with each of ``secrets`` replaced by *** and mobiles masked."""
    if not text:
        return text
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return mask_mobiles_in(text)
