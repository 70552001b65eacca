# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The evidence pack (证据材料) of a legal case: ONE ZIP kept on the case,
with an index PDF (证据目录) numbering every file and what it proves, then
the dunning steps (letters as PDF, the others as their text with the
delivery records), the proofs of delivery, the bills claimed (billing
notices), the call records and the fee standard's publication (公示)."""
import base64
import io
import json
import re
import zipfile

from odoo import _, api, fields, models

from .property_dunning_step_letter import LETTER_REPORT

INDEX_REPORT = "property_dunning.report_legal_case_index_action"
BILL_REPORT = "property_billing.report_billing_notice_action"
FEE_NOTICE_REPORT = "property_billing.property_fee_notice_report"


class PropertyLegalCase(models.Model):
    _inherit = "property.legal.case"

    @api.multi
    def action_export_evidence(self):
        """Build the evidence pack (one ZIP), keep it on the case and
        download it."""
        self.ensure_one()
        self._check_action()
        attachment = self._export_evidence()
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/%s?download=true" % attachment.id,
            "target": "self",
        }

    # -- the evidence pack -------------------------------------------------------------

    @api.multi
    def _export_evidence(self):
        self.ensure_one()
        files = self.sudo()._evidence_files()
        entries = [{"no": index, "name": name, "proves": proves}
                   for index, (name, _content, proves) in enumerate(files, 1)]
        now = fields.Datetime.now()
        self._write_service({"evidence_manifest": json.dumps(
            entries, ensure_ascii=False), "evidence_date": now})
        index_pdf = self._render(INDEX_REPORT, self)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
            pack.writestr(self._file_name(0, _("Index"), index_pdf), index_pdf)
            for entry, (name, content, _proves) in zip(entries, files):
                pack.writestr(entry["name"], content)
        attachment = self.env["ir.attachment"].create({
            "name": _("Evidence pack %s.zip") % self.name,
            "datas_fname": _("Evidence pack %s.zip") % self.name,
            "datas": base64.b64encode(buffer.getvalue()),
            "mimetype": "application/zip",
            "res_model": self._name,
            "res_id": self.id,
        })
        self._write_service({"evidence_attachment_id": attachment.id})
        self.message_post(body=_("Evidence pack exported: %s files.")
                          % (len(files) + 1))
        return attachment

    @api.multi
    def _evidence_entries(self):
        """The numbered files of the last export (for the index)."""
        self.ensure_one()
        return json.loads(self.evidence_manifest or "[]")

    @api.model
    def _render(self, xmlid, records):
        report = self.env.ref(xmlid).sudo()
        content = report.render_qweb_pdf(records.ids)[0]
        if isinstance(content, str):  # HTML fallback of test databases
            content = content.encode("utf-8")
        return content

    @api.model
    def _file_name(self, number, label, content=None, ext=None):
        if ext is None:
            ext = "pdf" if (content or b"")[:4] == b"%PDF" else "html"
        label = re.sub(r'[\\/:*?"<>|\r\n]+', "-", label).strip()
        return "%02d_%s.%s" % (number, label, ext)

    @api.multi
    def _evidence_files(self):
        """[(file name, bytes, what it proves)] of the pack, numbered from 1
        in this order: the dunning steps (letters as PDF, the others as
        their text with the delivery records), the proofs of delivery, the
        bills claimed, the call records, the fee standard's publication."""
        self.ensure_one()
        files = []

        def add(label, content, proves, ext=None):
            files.append((self._file_name(len(files) + 1, label, content,
                                          ext), content, proves))

        steps = self.step_ids
        for step in steps:
            if step.is_letter:
                add(_("Letter %s") % step.name,
                    self._render(LETTER_REPORT, step),
                    _("The %(level)s of %(date)s as it was sent: bills, "
                      "amounts, days overdue, late fee, the period to pay.")
                    % {"level": step.level_id.name, "date": step.date})
            add(_("Step %s") % step.name,
                self._step_text(step).encode("utf-8"),
                _("Dunning step of %(date)s (%(level)s): its text, the bills "
                  "chased and when and how it reached the payer.")
                % {"date": step.date, "level": step.level_id.name}, "txt")
        proofs = self.env["ir.attachment"].search([
            ("res_model", "=", "property.dunning.step"),
            ("res_id", "in", steps.ids), ("type", "=", "binary")],
            order="res_id, id")
        names = {step.id: step.name for step in steps}
        for proof in proofs:
            base, ext = self._split_name(proof)
            add(_("Proof %(step)s %(name)s") % {
                "step": names.get(proof.res_id, ""), "name": base},
                base64.b64decode(proof.datas or b""),
                _("Proof of delivery of step %s (photo, signature or mail "
                  "receipt).") % names.get(proof.res_id, ""), ext)
        for invoice in self.invoice_ids.sorted(
                lambda inv: (inv.date_due or "", inv.id)):
            add(_("Bill %(number)s %(period)s") % {
                "number": invoice.number or invoice.id,
                "period": invoice.billing_period or ""},
                self._render(BILL_REPORT, invoice),
                _("The bill claimed: %(number)s, period %(period)s, due "
                  "%(due)s, %(residual)s still due.") % {
                    "number": invoice.number, "period":
                    invoice.billing_period or "", "due": invoice.date_due,
                    "residual": "%.2f" % invoice.residual})
        for call in self._call_records(steps):
            add(_("Call %s") % call.display_name,
                self._record_text(call).encode("utf-8"),
                _("Record of a phone call with the payer: reached or not, "
                  "the reason given, the outcome."), "txt")
        notices = self.env["property.fee.notice"].search([
            ("estate_id", "=", self.estate_id.id),
            ("is_published", "=", True)], order="publication_date, id")
        for notice in notices:
            add(_("Fee notice %s") % notice.publication_date,
                self._render(FEE_NOTICE_REPORT, notice),
                _("The fee standards as published to the owners on %s "
                  "(公示), before they applied.") % notice.publication_date)
            for attachment in self.env["ir.attachment"].search([
                    ("res_model", "=", notice._name),
                    ("res_id", "=", notice.id), ("type", "=", "binary")]):
                base, ext = self._split_name(attachment)
                add(_("Fee notice %(date)s %(name)s") % {
                    "date": notice.publication_date, "name": base},
                    base64.b64decode(attachment.datas or b""),
                    _("Proof of the publication of %s (photo of the notice "
                      "board, consultation minutes).") % notice.name, ext)
        return files

    @api.model
    def _split_name(self, attachment):
        """(name without extension, extension) of an attachment's file."""
        name = attachment.datas_fname or attachment.name or ""
        base, dot, ext = name.rpartition(".")
        if not dot or not base or len(ext) > 5:
            return name, "bin"
        return base, ext.lower()

    @api.multi
    def _call_records(self, steps):
        """The call records of ``steps`` (the model is another module's)."""
        if "property.dunning.call" not in self.env:
            return []
        Call = self.env["property.dunning.call"]
        if "step_id" in Call._fields:
            return Call.search([("step_id", "in", steps.ids)])
        if "payer_id" in Call._fields and self.payer_id:
            return Call.search([("payer_id", "=", self.payer_id.id)])
        return []

    @api.model
    def _record_text(self, record):
        """A readable text of a record: each stored field's label and value."""
        lines = []
        for name, field in sorted(record._fields.items(),
                                  key=lambda item: item[0]):
            if not field.store or field.type in ("binary", "one2many",
                                                 "many2many") or \
                    name.startswith(("message_", "activity_", "__")) or \
                    name in models.MAGIC_COLUMNS:
                continue
            value = record[name]
            if field.type == "many2one":
                value = value.display_name or ""
            elif field.type == "selection":
                value = dict(field._description_selection(
                    self.env)).get(value, value or "")
            elif value is False:
                value = ""
            lines.append("%s: %s" % (field.string, value))
        return "\n".join(lines) + "\n"

    @api.model
    def _step_text(self, step):
        """A dunning step as text: level, date, bills, texts and deliveries."""
        channels = dict(self.env["property.dunning.delivery"]._fields[
            "channel"]._description_selection(self.env))
        states = dict(self.env["property.dunning.delivery"]._fields[
            "state"]._description_selection(self.env))
        out = [
            _("Dunning step: %s") % step.name,
            _("Level: %s") % step.level_id.name,
            _("Date: %s") % step.date,
            _("Payer: %s") % step.partner_id.name,
            _("Amount chased: %.2f") % step.total,
            _("Days overdue: %s") % step.days_overdue,
        ]
        if step.deadline:
            out.append(_("Pay by: %s") % step.deadline)
        out.append(_("Bills:"))
        for line in step.line_ids:
            out.append("  %s  %s  %s  %s  %.2f  %.2f" % (
                line.invoice_id.number or "", line.billing_period or "",
                line.date_due or "", line.days_overdue, line.residual,
                line.late_fee))
        if step.subject:
            out.append(_("Subject: %s") % step.subject)
        if step.sms_text:
            out += [_("SMS:"), step.sms_text]
        if step.body:
            out += [_("Message:"), step.body]
        out.append(_("Deliveries:"))
        for delivery in step.delivery_ids:
            out.append("  %s: %s %s %s %s %s" % (
                channels.get(delivery.channel, delivery.channel),
                states.get(delivery.state, delivery.state),
                delivery.sent_at or "", delivery.destination or "",
                delivery.reference or "", delivery.reason or ""))
        if step.letter_method:
            methods = dict(step._fields["letter_method"]._description_selection(
                self.env))
            out.append(_("Letter delivered on %(day)s by %(method)s, "
                         "number %(tracking)s") % {
                "day": step.letter_delivered_on,
                "method": methods.get(step.letter_method),
                "tracking": step.letter_tracking or "-"})
        return "\n".join(out) + "\n"
