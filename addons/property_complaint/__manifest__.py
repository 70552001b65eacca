# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Property Complaints",
    "summary": "Owner complaint handling for property-service companies "
               "(客户投诉处理): intake, assignment, time limits, call-back, "
               "analysis",
    "version": "11.0.1.1.0",
    "category": "Property Management",
    "website": "https://github.com/property-suite/property-suite",
    "author": "Property Suite Authors",
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": ["property_billing", "mail", "resource"],
    "data": [
        "security/property_complaint_security.xml",
        "security/ir.model.access.csv",
        "data/property_complaint_stage_data.xml",
        "data/property_complaint_category_data.xml",
        "data/ir_sequence_data.xml",
        "data/mail_template_data.xml",
        "data/mail_alias_data.xml",
        "data/property_complaint_sla_data.xml",
        "data/ir_cron_data.xml",
        "views/property_complaint_category_views.xml",
        "views/property_complaint_stage_views.xml",
        "views/property_complaint_views.xml",
        "views/property_complaint_team_views.xml",
        "views/property_complaint_assignment_rule_views.xml",
        "views/property_complaint_sla_views.xml",
        "views/property_complaint_report_views.xml",
        "views/account_invoice_views.xml",
        "views/property_unit_views.xml",
        "views/res_partner_views.xml",
        "wizards/property_complaint_quick_entry_views.xml",
        "wizards/property_complaint_export_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/property_complaint_demo.xml",
    ],
}
