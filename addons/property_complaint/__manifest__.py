# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Property Complaints",
    "summary": "Owner complaint handling for property-service companies "
               "(客户投诉处理): categories, stages, customer-service roles",
    "version": "11.0.1.0.0",
    "category": "Property Management",
    "website": "https://github.com/property-suite/property-suite",
    "author": "Property Suite Authors",
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": ["property_billing", "mail"],
    "data": [
        "security/property_complaint_security.xml",
        "security/ir.model.access.csv",
        "data/property_complaint_stage_data.xml",
        "data/property_complaint_category_data.xml",
        "views/property_complaint_category_views.xml",
        "views/property_complaint_stage_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
    ],
}
