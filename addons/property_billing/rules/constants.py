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

# The context of bulk writes without mail tracking (chatter messages, tracking
# values, followers): the invoice batch is the ORM's equivalent with these
# keys, billing runs, imports and the demo write with them.
TRACKING_OFF = {
    "tracking_disable": True,
    "mail_notrack": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
}

# A share is a percentage of a unit held or paid for by one party.
FULL_SHARE = 100.0
