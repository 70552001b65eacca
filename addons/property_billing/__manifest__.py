# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Property Billing",
    "summary": "Estates, buildings, units and owners; fee billing for "
               "residential property-service companies (物业收费)",
    "version": "11.0.1.0.0",
    "category": "Property Management",
    "website": "https://github.com/property-suite/property-suite",
    "author": "Property Suite Authors",
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": ["account", "mail", "portal", "queue_job"],
    "external_dependencies": {"python": ["xlrd"]},
    "data": [
        "security/property_billing_security.xml",
        "security/ir.model.access.csv",
        "views/property_estate_views.xml",
        "views/property_building_views.xml",
        "views/property_unit_views.xml",
        "views/property_occupancy_views.xml",
        "views/res_partner_views.xml",
        "wizards/property_register_import_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/property_estate_demo.xml",
    ],
}
