# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.1.0: record rules on SLA pauses, multi-company rules on the
complaint analysis, SLA policies, assignment and sampling rules; complaint
photos bound to their complaint.

The record rules are ``noupdate`` records: ``-u`` creates the new ones but
leaves the existing ones as they are (in Odoo 11 the ``noupdate`` attribute of
the XML block decides, whatever the flag in ``ir.model.data``). Reload the
file as an installation does, so that every rule of an existing database has
the shipped domain. Photos stored unbound (``res_id = 0``, readable by every
employee) are bound to their complaint, so that their access follows the
complaint's.
"""
import logging

from odoo.tools import convert_file

_logger = logging.getLogger(__name__)

MODULE = "property_complaint"
RULE_FILES = ("security/property_complaint_security.xml",)


def reload_rules(cr, module=MODULE, files=RULE_FILES):
    """Rewrite the records of ``files`` (groups and record rules) from the
    module's XML, ``noupdate`` ones included."""
    for path in files:
        convert_file(cr, module, path, {}, mode="init", noupdate=True,
                     kind="data")
        _logger.info("%s: record rules reloaded from %s", module, path)


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
    reload_rules(cr)
    bind_photos(cr)
