"""The payment channels (缴费渠道) and what kind of place each one is.

``counter`` channels are taken by a cashier at the service centre and belong
to the cashier's daily closing; the others arrive from a bank or a gateway.
"""
CASH = "cash"
CARD = "card"
WECHAT = "wechat"
ALIPAY = "alipay"
TRANSFER = "transfer"
DEBIT = "debit"
ONLINE_WECHAT = "online_wechat"
ONLINE_ALIPAY = "online_alipay"

COUNTER = "counter"
BANK = "bank"
ONLINE = "online"

# (code, English name, kind, journal type, journal code)
CHANNELS = [
    (CASH, "Cash", COUNTER, "cash", "PCSH"),
    (CARD, "Bank card (POS)", COUNTER, "bank", "PPOS"),
    (WECHAT, "WeChat Pay at the counter", COUNTER, "bank", "PWXC"),
    (ALIPAY, "Alipay at the counter", COUNTER, "bank", "PALC"),
    (TRANSFER, "Bank transfer", BANK, "bank", "PTRF"),
    (DEBIT, "Auto-debit", BANK, "bank", "PDBT"),
    (ONLINE_WECHAT, "WeChat Pay online", ONLINE, "bank", "PWXO"),
    (ONLINE_ALIPAY, "Alipay online", ONLINE, "bank", "PALO"),
]
CHANNEL_CODES = [(code, name) for code, name, _kind, _type, _jcode in CHANNELS]
KIND = {code: kind for code, _name, kind, _type, _jcode in CHANNELS}
JOURNAL = {code: (jtype, jcode) for code, _name, _kind, jtype, jcode in CHANNELS}
COUNTER_CODES = frozenset(code for code, kind in KIND.items() if kind == COUNTER)


def is_counter(code):
    """True for the channels a cashier takes at the counter.

    >>> is_counter("cash"), is_counter("transfer")
    (True, False)
    """
    return code in COUNTER_CODES
