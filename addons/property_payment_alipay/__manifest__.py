# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Property Payment: Alipay",
    "summary": "Owners pay their bills in the portal with Alipay "
               "(支付宝开放平台, RSA2: phone and desktop cashier)",
    "version": "11.0.1.0.0",
    "category": "Property Management",
    "website": "https://github.com/property-suite/property-suite",
    "author": "Property Suite Authors",
    "license": "AGPL-3",
    "installable": True,
    "depends": ["property_portal"],
    "external_dependencies": {"python": ["cryptography"]},
    "data": [
        "data/payment_acquirer_data.xml",
        "views/payment_acquirer_views.xml",
    ],
    "demo": [
        "demo/payment_acquirer_demo.xml",
    ],
}
