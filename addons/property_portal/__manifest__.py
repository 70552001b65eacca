# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Property Owner Portal",
    "summary": "The owner portal (业主门户): units, bills, receipts, online "
               "payment, complaints, notices and plans, on a phone",
    "version": "11.0.1.2.0",
    "category": "Property Management",
    "website": "https://github.com/property-suite/property-suite",
    "author": "Property Suite Authors",
    "license": "AGPL-3",
    "installable": True,
    "depends": ["property_billing", "property_complaint", "property_payment",
                "property_dunning", "portal", "payment", "queue_job"],
    "data": [
        "security/ir.model.access.csv",
        "security/property_portal_security.xml",
        "data/property_portal_payment_data.xml",
        "data/queue_job_data.xml",
        "views/property_portal_templates.xml",
        "views/property_portal_bill_templates.xml",
        "views/property_portal_complaint_templates.xml",
        "views/property_portal_payment_templates.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
    ],
}
