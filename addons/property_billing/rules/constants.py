"""Codes shared by the rules and the models (models import them, never the reverse).

Labels here are English source strings; models wrap them for translation.
"""

UNIT_TYPES = [
    ("residential", "Residential"),
    ("commercial", "Commercial"),
    ("parking", "Parking space"),
    ("storage", "Storage room"),
]

UNIT_STATES = [
    ("undelivered", "Undelivered"),
    ("vacant", "Vacant"),
    ("occupied", "Occupied"),
    ("decorating", "Decorating"),
]

OCCUPANCY_ROLES = [
    ("owner", "Owner"),
    ("tenant", "Tenant"),
    ("payer", "Payer"),
]

CONTACT_CHANNELS = [
    ("sms", "SMS"),
    ("phone", "Phone call"),
    ("email", "E-mail"),
    ("portal", "Portal / app"),
    ("wechat", "WeChat"),
    ("letter", "Printed letter"),
]

DEFAULT_TZ = "Asia/Shanghai"

# A share is a percentage of a unit held or paid for by one party.
FULL_SHARE = 100.0
