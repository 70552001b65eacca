"""A plausible, deterministic register of Shanghai estates for demos and benchmarks.

``generate(seed, units, estates, today)`` returns plain data (dicts and lists of
stdlib values); ``property.demo.generator`` turns it into records. The same
arguments always give the same data, and the function scales linearly: 2,000
units for the demo database, 10,000 or 100,000 for benchmarks.

Unit codes follow the usual Chinese notation building-entrance-floor+room
('3-2-1502': building 3, entrance (单元) 2, floor 15, room 02); shops on the
ground floor are '3-1-0101'-style with type commercial; parking spaces 'P-0001'
and storage rooms 'C-0001' sit in the basement (floor -1) without a building.

>>> data = generate(seed=1, units=50, estates=1, today=datetime.date(2026, 6, 30))
>>> len(data["units"]), data["estates"][0]["name"]
(50, '翠湖花园')
"""

import datetime
import math
import random

REFERENCE_DAY = datetime.date(2026, 1, 1)

ESTATES = [
    ("CHHY", "翠湖花园", "浦东新区锦绣路1888弄", "200135", "Pudong"),
    ("JXHT", "锦绣华庭", "徐汇区漕溪北路595弄", "200030", "Xuhui"),
    ("LCMG", "绿城玫瑰园", "闵行区七莘路3199弄", "201101", "Minhang"),
    ("JQXY", "金桥新苑", "浦东新区金桥路1399弄", "201206", "Pudong"),
    ("YGSA", "阳光水岸", "宝山区共和新路4727弄", "200435", "Baoshan"),
    ("SJJY", "世纪嘉园", "长宁区古北路666弄", "200336", "Changning"),
    ("BLHY", "碧林湾花园", "杨浦区国权路39弄", "200433", "Yangpu"),
    ("HPYY", "和平雅苑", "静安区万荣路777弄", "200072", "Jing'an"),
]
BANKS = ["中国工商银行上海分行", "中国建设银行上海分行", "招商银行上海分行", "上海银行"]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌辉宇浩凯鹏飞俊峰雪梅琳"
    "晨欣怡子涵梓轩一诺思远佳慧婷婉倩颖晓东海波宁安康健嘉宏博雅琪瑶"
)
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "180",
    "181",
    "182",
    "183",
    "186",
    "187",
    "188",
    "189",
]
# (code, weight); 'email' is only given to owners who have an e-mail address.
CHANNEL_WEIGHTS = [
    ("sms", 45),
    ("wechat", 25),
    ("phone", 15),
    ("portal", 10),
    ("letter", 5),
]
STATE_WEIGHTS = [("occupied", 80), ("vacant", 8), ("decorating", 7), ("undelivered", 5)]

# share of each estate's units by type; residential takes the rest
PARKING_SHARE = 0.15
STORAGE_SHARE = 0.03
COMMERCIAL_SHARE = 0.03
UNITS_PER_BUILDING = 100  # ~10 buildings for 1,000 units per estate
PAST_OWNER_SHARE = 0.05  # owner changed in the last year
TENANT_SHARE = 0.04  # of occupied residential units
ANNEX_TO_EXISTING_OWNER = 0.7  # parking/storage bought by a residential owner
SECOND_HOME_SHARE = 0.02  # residential units bought by an existing owner
EMAIL_SHARE = 0.3
SMS_CONSENT_SHARE = 0.85


def _weighted(rng, weights):
    total = sum(w for _, w in weights)
    pick = rng.random() * total
    for code, weight in weights:
        pick -= weight
        if pick < 0:
            return code
    return weights[-1][0]


def _split(total, parts):
    """``total`` split into ``parts`` near-equal integers (larger first)."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _estate(index, code_prefix):
    code, name, street, zip_code, district = ESTATES[index % len(ESTATES)]
    round_ = index // len(ESTATES)
    if round_:
        code, name = "%s%d" % (code, round_ + 1), "%s%s期" % (
            name,
            "一二三四五六七八九十"[round_ % 10],
        )
    return {
        "code": code_prefix + code,
        "name": name,
        "street": street,
        "city": "上海市",
        "district": district,
        "zip": zip_code,
        "service_phone": "021-%04d%04d"
        % (5000 + index * 37 % 4000, 1000 + index * 131 % 8000),
        "bank_name": BANKS[index % len(BANKS)],
        "bank_account": "3100%012d" % (index * 7919 + 104729),
    }


class _People(object):
    """Owners and tenants with unique mobiles."""

    def __init__(self, rng):
        self.rng = rng
        self.partners = []
        self.mobiles = set()

    def new(self):
        rng = self.rng
        name = rng.choice(SURNAMES) + "".join(
            rng.choice(GIVEN) for _ in range(1 if rng.random() < 0.35 else 2)
        )
        while True:
            mobile = rng.choice(MOBILE_PREFIXES) + "%08d" % rng.randrange(10**8)
            if mobile not in self.mobiles:
                self.mobiles.add(mobile)
                break
        index = len(self.partners)
        email = (
            "owner%05d@example.com" % (index + 1)
            if rng.random() < EMAIL_SHARE
            else None
        )
        channel = _weighted(rng, CHANNEL_WEIGHTS)
        if email and rng.random() < 0.3:
            channel = "email"
        self.partners.append(
            {
                "index": index,
                "name": name,
                "mobile": mobile,
                "email": email,
                "channel": channel,
                "sms_consent": rng.random() < SMS_CONSENT_SHARE,
            }
        )
        return index


def generate(seed=42, units=2000, estates=2, today=None, code_prefix=""):
    """Plain data of ``estates`` estates with ``units`` units in total.

    Returns a dict:

    - ``estates``: [{code, name, street, city, zip, service_phone, bank_name,
      bank_account, delivery_date}]
    - ``buildings``: [{estate (index), code, name, sequence, floor_count}]
    - ``units``: [{estate, building (index or None), code, floor, unit_type, area,
      inner_area, state, delivery_date}]
    - ``partners``: [{index, name, mobile, email, channel, sms_consent}]
    - ``occupancies``: [{unit, partner (indexes), role, share, date_from, date_to}]
    - ``demo_owner``: index of an owner with at least two units, one of them occupied

    ``today`` (default ``REFERENCE_DAY``) anchors the dates: owner changes happen
    in the year before it, and every unit that is not undelivered has an owner on it.
    """
    if units < 1 or estates < 1:
        raise ValueError("units and estates must be positive")
    today = today or REFERENCE_DAY
    rng = random.Random(seed)
    people = _People(rng)
    data = {
        "estates": [],
        "buildings": [],
        "units": [],
        "partners": people.partners,
        "occupancies": [],
        "demo_owner": None,
    }

    for e_index, count in enumerate(_split(units, estates)):
        estate = _estate(e_index, code_prefix)
        # estates delivered 3 to 12 years ago, on the last day of June or December
        years_ago = 3 + (e_index * 4 + rng.randrange(3)) % 10
        delivered = datetime.date(
            today.year - years_ago, 6 if e_index % 2 else 12, 30 if e_index % 2 else 31
        )
        estate["delivery_date"] = delivered
        data["estates"].append(estate)
        estate_units = _estate_units(rng, data, e_index, count, delivered)
        _estate_occupancies(rng, people, data, estate_units, today)
    data["demo_owner"] = _demo_owner(data)
    return data


def _estate_units(rng, data, e_index, count, delivered):
    """Append the units (and buildings) of one estate; return their indexes."""
    parking = int(round(count * PARKING_SHARE))
    storage = int(round(count * STORAGE_SHARE))
    commercial = int(round(count * COMMERCIAL_SHARE))
    residential = count - parking - storage - commercial
    if residential < 1:  # tiny estates: everything residential
        residential, parking, storage, commercial = count, 0, 0, 0
    n_buildings = max(
        1, min(residential, int(math.ceil(count / float(UNITS_PER_BUILDING))))
    )
    first = len(data["units"])

    shops = _split(commercial, n_buildings)
    for b_number, b_count in enumerate(_split(residential, n_buildings), start=1):
        b_index = len(data["buildings"])
        entrances = 2 + rng.randrange(2)  # 2-3 单元
        rooms = 2 + rng.randrange(3)  # 2-4 flats per floor and entrance
        # each room position has its own plan: the same area on every floor
        plan = [round(rng.uniform(60, 180), 2) for _ in range(entrances * rooms)]
        building = {
            "estate": e_index,
            "code": str(b_number),
            "name": "%d号楼" % b_number,
            "sequence": b_number,
            "floor_count": 1,
        }
        data["buildings"].append(building)
        for shop in range(shops[b_number - 1]):
            area = round(rng.uniform(40, 220), 2)
            data["units"].append(
                _unit(
                    rng,
                    e_index,
                    b_index,
                    "%d-1-01%02d" % (b_number, shop + 1),
                    1,
                    "commercial",
                    area,
                    delivered,
                )
            )
        made, floor = 0, 2
        while made < b_count:
            for entrance in range(1, entrances + 1):
                for room in range(1, rooms + 1):
                    if made == b_count:
                        break
                    code = "%d-%d-%d%02d" % (b_number, entrance, floor, room)
                    area = plan[(entrance - 1) * rooms + room - 1]
                    data["units"].append(
                        _unit(
                            rng,
                            e_index,
                            b_index,
                            code,
                            floor,
                            "residential",
                            area,
                            delivered,
                        )
                    )
                    made += 1
            building["floor_count"] = floor
            floor += 1
    for number in range(1, parking + 1):
        data["units"].append(
            _unit(rng, e_index, None, "P-%04d" % number, -1, "parking", 12.5, delivered)
        )
    for number in range(1, storage + 1):
        data["units"].append(
            _unit(
                rng,
                e_index,
                None,
                "C-%04d" % number,
                -1,
                "storage",
                round(rng.uniform(5, 15), 2),
                delivered,
            )
        )
    return list(range(first, len(data["units"])))


def _unit(rng, estate, building, code, floor, unit_type, area, delivered):
    state = _weighted(rng, STATE_WEIGHTS)
    if unit_type in ("parking", "storage") and state == "decorating":
        state = "occupied"
    inner = (
        round(area * rng.uniform(0.74, 0.86), 2)
        if unit_type in ("residential", "commercial")
        else None
    )
    return {
        "estate": estate,
        "building": building,
        "code": code,
        "floor": floor,
        "unit_type": unit_type,
        "area": area,
        "inner_area": inner,
        "state": state,
        "delivery_date": None if state == "undelivered" else delivered,
    }


def _estate_occupancies(rng, people, data, unit_indexes, today):
    """Owners (some with several units, some changed last year) and a few tenants."""
    units = data["units"]
    occupancies = data["occupancies"]
    estate_owners = []
    residential = [
        i
        for i in unit_indexes
        if units[i]["unit_type"] in ("residential", "commercial")
    ]
    annexes = [
        i for i in unit_indexes if units[i]["unit_type"] in ("parking", "storage")
    ]
    for index in residential + annexes:
        unit = units[index]
        if unit["state"] == "undelivered":
            continue  # still the developer's
        is_annex = unit["unit_type"] in ("parking", "storage")
        share_existing = ANNEX_TO_EXISTING_OWNER if is_annex else SECOND_HOME_SHARE
        if estate_owners and rng.random() < share_existing:
            owner = rng.choice(estate_owners)
        else:
            owner = people.new()
            estate_owners.append(owner)
        since = unit["delivery_date"] + datetime.timedelta(days=rng.randrange(0, 120))
        if since > today:
            since = unit["delivery_date"]
        if (
            not is_annex
            and rng.random() < PAST_OWNER_SHARE
            and since < today - datetime.timedelta(days=400)
        ):
            # sold in the last year: the first owner's period ends the day before
            past = people.new()
            change = today - datetime.timedelta(days=rng.randrange(10, 360))
            occupancies.append(
                {
                    "unit": index,
                    "partner": past,
                    "role": "owner",
                    "share": 100.0,
                    "date_from": since,
                    "date_to": change - datetime.timedelta(1),
                }
            )
            since = change
        occupancies.append(
            {
                "unit": index,
                "partner": owner,
                "role": "owner",
                "share": 100.0,
                "date_from": since,
                "date_to": None,
            }
        )
        if (
            unit["state"] == "occupied"
            and unit["unit_type"] == "residential"
            and rng.random() < TENANT_SHARE
        ):
            start = today - datetime.timedelta(days=rng.randrange(30, 700))
            occupancies.append(
                {
                    "unit": index,
                    "partner": people.new(),
                    "role": "tenant",
                    "share": 100.0,
                    "date_from": max(start, since),
                    "date_to": start + datetime.timedelta(days=730),
                }
            )
    return estate_owners


def _demo_owner(data):
    """Index of the first partner who owns two units or more, one of them occupied."""
    units_of = {}
    for occ in data["occupancies"]:
        if occ["role"] == "owner" and occ["date_to"] is None:
            units_of.setdefault(occ["partner"], []).append(occ["unit"])
    for partner in sorted(units_of):
        owned = units_of[partner]
        if len(owned) >= 2 and any(
            data["units"][u]["state"] == "occupied" for u in owned
        ):
            return partner
    return None
