# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Property Collection Analysis",
    "summary": "Collection rate (收缴率), collections by fee item and channel, "
               "and arrears ageing (账龄) that tie out to the journal items",
    "version": "11.0.1.0.0",
    "category": "Property Management",
    "website": "https://github.com/property-suite/property-suite",
    "author": "Property Suite Authors",
    "license": "AGPL-3",
    "installable": True,
    "uninstall_hook": "uninstall_hook",
    "depends": [
        "property_dunning",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/property_collection_security.xml",
        "data/property_collection_data.xml",
        "views/property_collection_fact_views.xml",
        "views/property_arrears_report_views.xml",
        "views/property_collection_curve_views.xml",
        "views/property_collection_dashboard_views.xml",
        "report/report_collection_monthly.xml",
        "wizards/property_collection_wizard_views.xml",
        "views/menus.xml",
    ],
}
