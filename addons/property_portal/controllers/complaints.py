# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The owner's complaints on the portal: list, file one with photos, follow
its public timeline, comment, rate the resolution, reopen it.

Access: the complaint through the record rules (the complainant's own,
``property_complaint_rule_portal``) *and* about a unit the owner holds today
(a former owner's complaints answer 404); or, read-only, with the
complaint's access token. Everything else answers 404. The writes are the
complaint's private portal services (models/property_complaint.py), inside
a savepoint: a refusal leaves nothing behind.
"""
import base64
import os

from werkzeug.exceptions import NotFound

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools import consteq

from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..rules import complaints as rules
from .portal import PropertyCustomerPortal

PHOTO_FIELD = "photos"
INLINE_MIMETYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")


def photo_errors_text():
    """The words of the photo refusals (translated at each request)."""
    not_a_photo = _("%(name)s is not a JPEG, PNG or WebP photo.")
    return {
        rules.EMPTY: _("%(name)s is empty."),
        rules.TOO_BIG: _("%(name)s is larger than %(size)d MB."),
        rules.NOT_AN_IMAGE: not_a_photo,
        rules.BAD_NAME: not_a_photo,
    }


def text_errors_text(field_label):
    return {
        rules.REQUIRED: _("%s is required.") % field_label,
        rules.TOO_SHORT: _("%s is too short: say a little more.") % field_label,
        rules.TOO_LONG: _("%s is too long.") % field_label,
    }


class PropertyComplaintPortal(PropertyCustomerPortal):

    # -- access ---------------------------------------------------------------

    def _complaint_current_domain(self):
        """The user's complaints about units they hold today, or about no
        unit while they hold one (the record rules keep them to the user's
        own)."""
        units = self._get_property_occupancies().mapped("unit_id")
        if not units:
            return [("id", "=", 0)]
        return ["|", ("unit_id", "in", units.ids), ("unit_id", "=", False)]

    def _complaint_check_access(self, complaint_id, access_token=None,
                                owner_only=False):
        """(complaint as sudo, is_owner) or NotFound.

        The owner: read through the record rules, about a unit held today.
        With the access token (``owner_only`` False): read-only, sudo.
        """
        user = request.env.user
        complaint = request.env["property.complaint"].browse(complaint_id)
        if user.share and not user._is_public():
            try:
                mine = complaint.search(
                    [("id", "=", complaint_id)]
                    + self._complaint_current_domain())
            except AccessError:
                mine = complaint.browse()
            if mine:
                mine.check_access_rule("read")
                return mine.sudo(), True
        if not owner_only and access_token:
            record = complaint.sudo().exists()
            if record and record.access_token and consteq(
                    str(record.access_token), str(access_token)):
                return record, False
        raise NotFound()

    # -- layout ----------------------------------------------------------------

    def _property_home_counts(self):
        values = super()._property_home_counts()
        if request.env.user.has_group("base.group_portal"):
            values["complaint_count"] = request.env[
                "property.complaint"].search_count(
                    self._complaint_current_domain())
        return values

    # -- list ------------------------------------------------------------------

    @http.route(["/my/complaints", "/my/complaints/page/<int:page>"],
                type="http", auth="user", website=True)
    def portal_my_complaints(self, page=1, sortby=None, filterby=None, **kw):
        values = self._prepare_portal_layout_values()
        Complaint = request.env["property.complaint"]
        searchbar_sortings = {
            "date": {"label": _("Newest"), "order": "date_reported desc, id desc"},
            "stage": {"label": _("Stage"), "order": "stage_id, date_reported desc"},
        }
        searchbar_filters = {
            "all": {"label": _("All"), "domain": []},
            "open": {"label": _("Open"), "domain": [("is_closed", "=", False)]},
            "closed": {"label": _("Closed"), "domain": [("is_closed", "=", True)]},
        }
        if sortby not in searchbar_sortings:
            sortby = "date"
        if filterby not in searchbar_filters:
            filterby = "all"
        domain = self._complaint_current_domain() + \
            searchbar_filters[filterby]["domain"]
        count = Complaint.search_count(domain)
        pager = portal_pager(
            url="/my/complaints",
            url_args={"sortby": sortby, "filterby": filterby},
            total=count, page=page, step=self._items_per_page)
        complaints = Complaint.search(
            domain, order=searchbar_sortings[sortby]["order"],
            limit=self._items_per_page, offset=pager["offset"])
        values.update({
            "complaints": complaints.sudo(),
            "page_name": "complaint",
            "pager": pager,
            "default_url": "/my/complaints",
            "searchbar_sortings": searchbar_sortings,
            "sortby": sortby,
            "searchbar_filters": searchbar_filters,
            "filterby": filterby,
            "can_file": bool(self._get_property_occupancies()),
        })
        return request.render("property_portal.portal_my_complaints", values)

    # -- filing ----------------------------------------------------------------

    def _complaint_categories(self):
        """(group label, categories) to choose from: each area's subjects,
        and the areas without subjects."""
        categories = request.env["property.complaint.category"].search([])
        groups = []
        loose = categories.browse()
        for area in categories.filtered(lambda c: not c.parent_id):
            subjects = area.child_ids.filtered("active")
            if subjects:
                groups.append((area.name, subjects))
            else:
                loose |= area
        if loose:
            groups.append((_("Other"), loose))
        return categories, groups

    def _complaint_form_values(self, errors=None, form=None):
        values = self._prepare_portal_layout_values()
        _categories, category_groups = self._complaint_categories()
        Complaint = request.env["property.complaint"]
        values.update({
            "page_name": "complaint_new",
            "units": self._get_property_occupancies().mapped("unit_id"),
            "category_groups": category_groups,
            "errors": errors or {},
            "form": form or {},
            "complaints_left": Complaint._portal_complaints_left(),
            "max_photos": rules.MAX_PHOTOS,
            "max_photo_mb": rules.MAX_PHOTO_BYTES // (1024 * 1024),
        })
        return values

    def _read_photos(self, errors, field=PHOTO_FIELD):
        """The uploaded photos as [(name, bytes, mimetype)], each checked by
        content and size; refusals into ``errors[field]``."""
        files = [upload for upload in
                 request.httprequest.files.getlist(field)
                 if upload and (upload.filename or "").strip()]
        problems = []
        if rules.check_photo_count(len(files)):
            problems.append(_("Add at most %d photos.") % rules.MAX_PHOTOS)
            errors[field] = problems
            return []
        words = photo_errors_text()
        photos = []
        for upload in files:
            name = os.path.basename(upload.filename.replace("\\", "/"))[:128]
            data = upload.read(rules.MAX_PHOTO_BYTES + 1)
            problem = rules.check_photo(name, data)
            if problem:
                problems.append(words[problem] % {
                    "name": name,
                    "size": rules.MAX_PHOTO_BYTES // (1024 * 1024)})
                continue
            kind = rules.sniff_image(data)
            photos.append((name or "photo", data, rules.MIMETYPES[kind]))
        if problems:
            errors[field] = problems
        return photos

    def _create_uploads(self, photos):
        """The photos as the user's fresh uploads for a complaint (bound to
        it by the complaint's services)."""
        Attachment = request.env["ir.attachment"]
        attachments = Attachment.browse()
        for name, data, mimetype in photos:
            attachments |= Attachment.create({
                "name": name,
                "datas_fname": name,
                "datas": base64.b64encode(data),
                "mimetype": mimetype,
                "res_model": "property.complaint",
                "res_id": 0,
            })
        return attachments

    @http.route(["/my/complaints/new"], type="http", auth="user",
                methods=["GET"], website=True)
    def portal_complaint_new(self, **kw):
        if not self._get_property_occupancies():
            raise NotFound()
        return request.render("property_portal.portal_complaint_new",
                              self._complaint_form_values())

    @http.route(["/my/complaints/new"], type="http", auth="user",
                methods=["POST"], website=True)
    def portal_complaint_create(self, unit_id=None, category_id=None,
                                description=None, **kw):
        if not self._get_property_occupancies():
            raise NotFound()
        errors = {}
        form = {"unit_id": unit_id, "category_id": category_id,
                "description": description or ""}
        units = self._get_property_occupancies().mapped("unit_id")
        unit = units.filtered(lambda u: str(u.id) == str(unit_id or ""))
        if not unit:
            errors["unit_id"] = [_("Choose one of your units.")]
        categories, _groups = self._complaint_categories()
        category = categories.filtered(
            lambda c: str(c.id) == str(category_id or ""))
        if not category:
            errors["category_id"] = [_("Choose what the complaint is about.")]
        problem = rules.check_text(description, min_len=rules.DESCRIPTION_MIN)
        if problem:
            errors["description"] = [text_errors_text(_("The description"))[
                problem]]
        photos = self._read_photos(errors)
        Complaint = request.env["property.complaint"]
        if not Complaint._portal_complaints_left():
            errors["form"] = [_(
                "You have filed %d complaints in the last 24 hours: please "
                "call the service centre for anything urgent.")
                % rules.DAILY_LIMIT]
        if not errors:
            try:
                with request.env.cr.savepoint():
                    attachments = self._create_uploads(photos)
                    complaint = Complaint._portal_create(
                        unit[:1], category[:1], description, attachments)
            except (UserError, AccessError) as error:
                errors["form"] = [error.name]
            else:
                return request.redirect(
                    "/my/complaints/%d?message=created" % complaint.id)
        values = self._complaint_form_values(errors, form)
        return request.render("property_portal.portal_complaint_new", values)

    # -- detail ------------------------------------------------------------------

    def _complaint_page_values(self, complaint, is_owner, access_token=None,
                               errors=None, form=None, message=None):
        if request.env.user.has_group("base.group_portal"):
            values = self._prepare_portal_layout_values()
        else:
            # signed out, with the token: Odoo's own counts are not theirs
            values = {"no_breadcrumbs": True}
        messages = complaint._portal_messages()
        values.update({
            "page_name": "complaint",
            "complaint": complaint,
            "is_owner": is_owner,
            "access_token": access_token if not is_owner else None,
            "timeline": messages,
            "photos": complaint.attachment_ids & complaint._portal_photos(),
            "stage_code": complaint._stage_code(),
            "can_rate": is_owner and complaint._portal_can_rate(),
            "can_reopen": is_owner and complaint._portal_can_reopen(),
            "can_comment": is_owner and not complaint.is_closed,
            "errors": errors or {},
            "form": form or {},
            "message": message,
            "max_photos": rules.MAX_PHOTOS,
            "max_photo_mb": rules.MAX_PHOTO_BYTES // (1024 * 1024),
        })
        return values

    def _render_complaint(self, complaint, is_owner, **kwargs):
        return request.render(
            "property_portal.portal_complaint_page",
            self._complaint_page_values(complaint, is_owner, **kwargs))

    @http.route(["/my/complaints/<int:complaint_id>"], type="http",
                auth="public", methods=["GET"], website=True)
    def portal_complaint_page(self, complaint_id, access_token=None,
                              message=None, **kw):
        complaint, is_owner = self._complaint_check_access(
            complaint_id, access_token)
        return self._render_complaint(
            complaint, is_owner, access_token=access_token,
            message=message if message in ("created", "posted", "rated",
                                           "reopened") else None)

    @http.route(["/my/complaints/<int:complaint_id>/photos/<int:photo_id>"],
                type="http", auth="public", methods=["GET"], website=True)
    def portal_complaint_photo(self, complaint_id, photo_id,
                               access_token=None, **kw):
        complaint, _is_owner = self._complaint_check_access(
            complaint_id, access_token)
        photo = complaint._portal_photos().filtered(
            lambda attachment: attachment.id == photo_id)
        if not photo:
            raise NotFound()
        data = base64.b64decode(photo.datas or b"")
        mimetype = photo.mimetype if photo.mimetype in INLINE_MIMETYPES \
            and rules.sniff_image(data) else "application/octet-stream"
        disposition = "inline" if mimetype != "application/octet-stream" \
            else "attachment"
        filename = (photo.datas_fname or photo.name or "file").replace('"', "")
        return request.make_response(data, headers=[
            ("Content-Type", mimetype),
            ("Content-Length", str(len(data))),
            ("Content-Disposition", '%s; filename="%s"' % (
                disposition, filename.encode("ascii", "ignore").decode())),
            ("X-Content-Type-Options", "nosniff"),
            ("Cache-Control", "private, max-age=3600"),
        ])

    def _complaint_action(self, complaint_id, action, form, **kwargs):
        """Run ``action(complaint, errors)`` in a savepoint for the owner;
        redirect to the page, or render it with the errors."""
        complaint, _is_owner = self._complaint_check_access(
            complaint_id, owner_only=True)
        mine = request.env["property.complaint"].browse(complaint.id)
        errors = {}
        done = None
        try:
            with request.env.cr.savepoint():
                done = action(mine, errors)
                if errors:
                    raise UserError(_("Correct the form."))
        except (UserError, AccessError, MissingError) as error:
            if not errors:
                errors["form"] = [error.name]
            complaint.invalidate_cache()
            return self._render_complaint(complaint, True, errors=errors,
                                          form=form)
        return request.redirect("/my/complaints/%d?message=%s#%s" % (
            complaint.id, done, kwargs.get("anchor", "timeline")))

    @http.route(["/my/complaints/<int:complaint_id>/comment"], type="http",
                auth="user", methods=["POST"], website=True)
    def portal_complaint_comment(self, complaint_id, comment=None, **kw):
        def post(mine, errors):
            problem = rules.check_text(comment, required=False,
                                       max_len=rules.COMMENT_MAX)
            if problem:
                errors["comment"] = [text_errors_text(_("The message"))[
                    problem]]
            photos = self._read_photos(errors)
            if not errors and not (comment or "").strip() and not photos:
                errors["comment"] = [_("Write a message or add a photo.")]
            if errors:
                return None
            if mine.sudo().is_closed:
                raise UserError(_("This complaint is closed: reopen it or "
                                  "file a new one."))
            mine._portal_post(comment or "", self._create_uploads(photos))
            return "posted"
        return self._complaint_action(complaint_id, post,
                                      {"comment": comment or ""})

    @http.route(["/my/complaints/<int:complaint_id>/rate"], type="http",
                auth="user", methods=["POST"], website=True)
    def portal_complaint_rate(self, complaint_id, score=None,
                              rating_comment=None, **kw):
        def rate(mine, errors):
            value = rules.parse_score(score)
            if value is None:
                errors["score"] = [_("Choose a rating from 1 to 5.")]
            problem = rules.check_text(rating_comment, required=False,
                                       max_len=rules.COMMENT_MAX)
            if problem:
                errors["rating_comment"] = [text_errors_text(
                    _("The comment"))[problem]]
            if errors:
                return None
            mine._portal_rate(value, rating_comment)
            return "rated"
        return self._complaint_action(
            complaint_id, rate,
            {"score": score, "rating_comment": rating_comment or ""},
            anchor="rate")

    @http.route(["/my/complaints/<int:complaint_id>/reopen"], type="http",
                auth="user", methods=["POST"], website=True)
    def portal_complaint_reopen(self, complaint_id, reason=None, **kw):
        def reopen(mine, errors):
            problem = rules.check_text(reason, max_len=rules.COMMENT_MAX)
            if problem:
                errors["reason"] = [text_errors_text(_("The reason"))[problem]]
                return None
            mine._portal_reopen(reason)
            return "reopened"
        return self._complaint_action(complaint_id, reopen,
                                      {"reason": reason or ""}, anchor="reopen")
