# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the all-or-nothing wizards share: the register import, the meter
reading import and the bulk reading entry check a whole batch first, write
all of it or nothing, and list every problem in the user's language."""
from odoo import _, models
from odoo.tools import html_escape


class PropertyBatchWizardMixin(models.AbstractModel):
    _name = "property.batch.wizard.mixin"
    _description = "All-or-nothing batch wizard"

    # (model, operation) the wizard writes: every action checks them first, as
    # a wizard has no access rights of its own (anyone may create one)
    _wizard_rights = ()

    def _check_wizard_rights(self):
        """AccessError unless the user may do what the wizard does."""
        for model, operation in self._wizard_rights:
            self.env[model].check_access_rights(operation)

    def _wizard_title(self):
        """The title of the wizard's dialog when it reopens itself."""
        return self._description

    def _reopen(self):
        """Stay on the wizard (its result or its error list)."""
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self._wizard_title(),
            # a plain dict: the context is a frozendict, which XML-RPC
            # cannot marshal
            "context": dict(self.env.context),
        }

    @staticmethod
    def _format_message(template, params):
        """``template % params``; a template whose placeholders do not match
        (a translation gone wrong) is shown as it is rather than failing."""
        if template is None:
            return None
        try:
            return template % params
        except (KeyError, TypeError, ValueError):
            return template

    def _errors_html(self, errors, heading=None, first_column=None):
        """An HTML table of ``errors`` [(where, message)] under a heading."""
        if heading is None:
            heading = _("Nothing was imported: %(count)s error(s) found. Correct "
                        "the file and import it again.")
        lines = "".join(
            "<tr><td>%s</td><td>%s</td></tr>" % (
                html_escape(str(where)), html_escape(message))
            for where, message in errors)
        return (
            "<p><strong>%s</strong></p><table class='table table-condensed'>"
            "<thead><tr><th>%s</th><th>%s</th></tr></thead><tbody>%s</tbody>"
            "</table>") % (
                html_escape(heading % {"count": len(errors)}),
                html_escape(first_column or _("Row")), html_escape(_("Problem")),
                lines)
