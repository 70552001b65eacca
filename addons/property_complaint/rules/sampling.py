"""Call-back sampling (回访抽样): which complaints get a follow-up call.

A sampling rule keeps ``percent`` % of the complaints it matches. The choice
must be reproducible (the same complaint is always in or out, whoever asks,
in tests as in production) and spread evenly: it hashes the complaint's
number with CRC-32 (stable across processes, unlike ``hash()``) into a bucket
0..9999 and keeps the buckets below ``percent`` × 100.

>>> sampled("TS2026000001", 100), sampled("TS2026000001", 0)
(True, False)
>>> bucket("TS2026000001") == bucket("TS2026000001")
True
"""
import zlib


def bucket(key, salt=""):
    """The bucket (0..9999) of ``key``: a stable hash of ``salt`` + ``key``."""
    data = ("%s:%s" % (salt, key)).encode("utf-8")
    return zlib.crc32(data) % 10000


def sampled(key, percent, salt=""):
    """Whether ``key`` falls in a ``percent`` % sample (0..100, may be a
    fraction such as 12.5). A different ``salt`` draws another sample."""
    percent = float(percent)
    if not 0 <= percent <= 100:
        raise ValueError("a sampling percent lies in [0, 100]: %r" % (percent,))
    return bucket(key, salt) < round(percent * 100)
