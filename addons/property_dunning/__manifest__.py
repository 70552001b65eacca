# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Property Dunning",
    "summary": "Graded dunning (催缴) per payer, instalment plans (分期), "
               "late fees (违约金) and a lawful path to court (诉讼 / 仲裁)",
    "version": "11.0.1.0.0",
    "category": "Property Management",
    "website": "https://github.com/property-suite/property-suite",
    "author": "Property Suite Authors",
    "license": "AGPL-3",
    "installable": True,
    "depends": [
        "property_payment",
        "property_complaint",
        "property_portal",
    ],
    "external_dependencies": {"python": ["openpyxl"]},
    "data": [
        "security/property_dunning_security.xml",
        "security/ir.model.access.csv",
        "data/property_dunning_data.xml",
        "data/property_dunning_policy_data.xml",
        "views/menus.xml",
        "views/property_dunning_policy_views.xml",
        "views/property_dunning_step_views.xml",
        "views/property_dunning_payer_views.xml",
        "data/property_legal_case_data.xml",
        "wizards/property_dunning_letter_delivery_views.xml",
        "views/property_dunning_step_letter_views.xml",
        "views/property_legal_case_views.xml",
        "report/property_dunning_letter_report.xml",
        "report/property_legal_case_report.xml",
    ],
    "demo": [
    ],
}
