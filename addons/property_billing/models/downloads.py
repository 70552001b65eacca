# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Files the suite hands to the user's browser: an attachment of the record
that made it, downloaded by the web client."""
import base64

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_action(record, name, data, mimetype=XLSX):
    """Keep ``data`` (bytes) as the attachment ``name`` of ``record`` and
    return the client action that downloads it."""
    attachment = record.env["ir.attachment"].create({
        "name": name, "datas_fname": name,
        "datas": base64.b64encode(data),
        "res_model": record._name, "res_id": record.id,
        "mimetype": mimetype,
    })
    return {
        "type": "ir.actions.act_url",
        "url": "/web/content/%d?download=true" % attachment.id,
        "target": "self",
    }
