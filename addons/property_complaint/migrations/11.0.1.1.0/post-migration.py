# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.1.0: record rules on SLA pauses, multi-company rules on the
complaint analysis, SLA policies, assignment and sampling rules; complaint
photos bound to their complaint.

The record rules are ``noupdate`` records, which ``-u`` leaves as they are:
reload their file as an installation does (see
``property_billing.migration_tools``). Photos stored unbound (``res_id = 0``,
readable by every employee) are bound to their complaint, so that their
access follows the complaint's.
"""
import logging

from odoo.addons.property_billing.migration_tools import reload_rules

_logger = logging.getLogger(__name__)

MODULE = "property_complaint"
RULE_FILES = ("security/property_complaint_security.xml",)


def bind_photos(cr):
    """Bind each unbound file of a complaint to it (the first complaint when
    one file was linked to several)."""
    cr.execute("""
        UPDATE ir_attachment att
           SET res_model = 'property.complaint', res_id = rel.complaint_id
          FROM (SELECT attachment_id, MIN(complaint_id) AS complaint_id
                  FROM property_complaint_attachment_rel
                 GROUP BY attachment_id) rel
         WHERE att.id = rel.attachment_id
           AND (att.res_id IS NULL OR att.res_id = 0)
    """)
    count = cr.rowcount
    _logger.info("%s: %s complaint file(s) bound to their complaint",
                 MODULE, count)
    return count


def migrate(cr, version):
    if not version:
        return
    reload_rules(cr, MODULE, RULE_FILES)
    bind_photos(cr)
