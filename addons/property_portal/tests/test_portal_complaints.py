# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The owner's complaints on the portal, served over HTTP: filing one with
photos, the timeline, comments, the rating and reopening, and what another
owner, a former owner or a forged token get (404, never data)."""
import datetime
import re

from odoo import fields

from .common_owner_services import (
    FORMER, GIF, JPEG, NEIGHBOUR, PDF, PNG, OwnerServicesCase)

PUBLIC_NOTE = "A technician comes on Tuesday"
INTERNAL_NOTE = "Internal: this owner owes three months"
ELEVATOR = "property_complaint.complaint_category_repair_elevator"


class TestPortalComplaints(OwnerServicesCase):

    def _create_more(self, env):
        rec = self.rec
        Complaint = env["property.complaint"]
        category = env.ref(ELEVATOR)
        rec["category"] = category.id

        def complaint(partner, unit, description, **vals):
            values = {"partner_id": rec[partner], "unit_id": rec[unit],
                      "description": description, "channel": "phone",
                      "category_id": category.id}
            values.update(vals)
            return Complaint.create(values)

        opened = complaint("owner", "unit", "The lift stops at floor 5.")
        opened.message_post(body=PUBLIC_NOTE, message_type="comment",
                            subtype="mail.mt_comment")
        opened.message_post(body=INTERNAL_NOTE, message_type="comment",
                            subtype="mail.mt_note")
        resolved = complaint("owner", "unit", "The hall light is broken.")
        old = complaint("owner", "unit", "The gate squeaks.")
        resolved_stage = env.ref("property_complaint.complaint_stage_resolved")
        now = datetime.datetime.utcnow()
        for record, days in ((resolved, 2), (old, 8)):
            record.write({"stage_id": resolved_stage.id,
                          "resolution_summary": "Repaired on site."})
            record.write({"date_resolved": fields.Datetime.to_string(
                now - datetime.timedelta(days=days))})
        neighbours = complaint("neighbour", "unit_neighbour",
                               "Neighbour's noisy pump.")
        formers = complaint("former", "unit_sold", "Former owner's leak.")
        rec.update({
            "opened": opened.id, "opened_name": opened.name,
            "opened_token": opened.access_token,
            "resolved": resolved.id, "old": old.id,
            "neighbours": neighbours.id, "neighbours_name": neighbours.name,
            "formers": formers.id, "formers_name": formers.name,
        })

    # -- helpers ---------------------------------------------------------------

    def _state(self, complaint_id):
        def read(env):
            complaint = env["property.complaint"].browse(complaint_id)
            return {"stage": complaint._stage_code(),
                    "satisfaction": complaint.satisfaction,
                    "followup_state": complaint.followup_state,
                    "messages": len(complaint.message_ids)}
        return self._read(read)

    def _owner_counts(self):
        def read(env):
            return (
                env["property.complaint"].search_count(
                    [("partner_id", "=", self.rec["owner"])]),
                env["ir.attachment"].search_count([
                    ("create_uid", "=", self.rec["owner_uid"]),
                    ("res_model", "=", "property.complaint")]))
        return self._read(read)

    def _new(self, files=None, **overrides):
        data = {"unit_id": str(self.rec["unit"]),
                "category_id": str(self.rec["category"]),
                "description": "Water drips from the ceiling of the hall."}
        data.update(overrides)
        return self._post("/my/complaints/new", data, files=files,
                          form_path="/my/complaints/new")

    def _photo(self, name, data, mimetype="image/jpeg"):
        return ("photos", (name, data, mimetype))

    def _refused(self, response, field):
        self.assertEqual(response.status_code, 200, response.text[:300])
        marker = "o_property_form_error" if field == "form" else \
            "o_property_error_%s" % field
        self.assertIn(marker, response.text)

    # -- list and form -----------------------------------------------------------

    def test_list_shows_own_complaints_as_cards(self):
        self._login()
        response = self._get("/my/complaints")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.rec["opened_name"], response.text)
        self.assertIn("o_property_complaint_card", response.text)
        self.assertNotIn("<table", response.text.split("o_portal_wrap")[-1])
        self.assertNotIn(self.rec["neighbours_name"], response.text)
        self.assertNotIn(self.rec["formers_name"], response.text)

    def test_new_form_offers_only_current_units(self):
        self._login()
        response = self._get("/my/complaints/new")
        self.assertEqual(response.status_code, 200)
        self.assertIn("5-1-0501", response.text)
        self.assertNotIn("5-1-0502", response.text)  # the neighbour's
        self.assertNotIn("5-1-0503", response.text)  # sold by someone else
        self.assertIn('name="csrf_token"', response.text)
        # an empty form still has its text box (QWeb drops an element whose
        # t-esc is empty)
        self.assertIn('<textarea id="complaint_description"', response.text)

    # -- filing ------------------------------------------------------------------

    def test_create_with_photos(self):
        self._login()
        response = self._new(files=[self._photo("door.jpg", JPEG),
                                    self._photo("leak.png", PNG, "image/png")])
        self.assertIn(response.status_code, (302, 303), response.text[:500])
        complaint_id = int(re.search(r"/my/complaints/(\d+)",
                                     response.headers["Location"]).group(1))

        def read(env):
            complaint = env["property.complaint"].browse(complaint_id)
            return {
                "partner": complaint.partner_id.id, "unit": complaint.unit_id.id,
                "estate": complaint.estate_id.id, "channel": complaint.channel,
                "name": complaint.name, "stage": complaint._stage_code(),
                "sla": bool(complaint.sla_id),
                "followers": complaint.message_partner_ids.ids,
                "photos": sorted((att.name, att.mimetype, att.res_model,
                                  att.res_id) for att in complaint.attachment_ids),
                "photo_ids": complaint.attachment_ids.ids,
            }
        got = self._read(read)
        self.assertEqual((got["partner"], got["unit"], got["estate"]),
                         (self.rec["owner"], self.rec["unit"], self.rec["estate"]))
        self.assertEqual(got["channel"], "portal")
        self.assertNotEqual(got["name"], "/")  # the complaint sequence
        self.assertEqual(got["stage"], "new")
        self.assertIn(self.rec["owner"], got["followers"])
        self.assertEqual(got["photos"], [
            ("door.jpg", "image/jpeg", "property.complaint", complaint_id),
            ("leak.png", "image/png", "property.complaint", complaint_id)])
        page = self._get("/my/complaints/%d?message=created" % complaint_id)
        self.assertEqual(page.status_code, 200)
        self.assertIn(got["name"], page.text)
        photo = self._get("/my/complaints/%d/photos/%d" % (
            complaint_id, got["photo_ids"][0]))
        self.assertEqual(photo.status_code, 200)
        self.assertIn(photo.headers["Content-Type"], ("image/jpeg", "image/png"))
        self.assertIn(photo.content, (JPEG, PNG))

    def test_refused_photo_types_create_nothing(self):
        self._login()
        before = self._owner_counts()
        for photo in (self._photo("anim.gif", GIF, "image/gif"),
                      self._photo("bill.jpg", PDF),  # renamed: the content counts
                      self._photo("shell.php", JPEG)):
            response = self._new(files=[self._photo("ok.jpg", JPEG), photo])
            self._refused(response, "photos")
            self.assertIn(photo[1][0], response.text)
        self.assertEqual(self._owner_counts(), before)

    def test_refused_photo_size_creates_nothing(self):
        self._login()
        before = self._owner_counts()
        big = JPEG + b"\x00" * (5 * 1024 * 1024)
        response = self._new(files=[self._photo("big.jpg", big)])
        self._refused(response, "photos")
        self.assertIn("5 MB", response.text)
        self.assertEqual(self._owner_counts(), before)

    def test_too_many_photos_create_nothing(self):
        self._login()
        before = self._owner_counts()
        response = self._new(files=[self._photo("p%d.jpg" % n, JPEG)
                                    for n in range(6)])
        self._refused(response, "photos")
        self.assertEqual(self._owner_counts(), before)

    def test_form_error_keeps_values_and_creates_nothing(self):
        self._login()
        before = self._owner_counts()
        response = self._new(files=[self._photo("ok.jpg", JPEG)],
                             description="  ", category_id="")
        self._refused(response, "description")
        self.assertIn("o_property_error_category_id", response.text)
        self.assertNotIn("o_property_error_unit_id", response.text)
        self.assertRegex(response.text, r'<option value="%d" selected'
                         % self.rec["unit"])
        self.assertEqual(self._owner_counts(), before)

    def test_unit_of_another_owner_is_refused(self):
        self._login()
        before = self._owner_counts()
        for unit in ("unit_neighbour", "unit_sold"):
            response = self._new(unit_id=str(self.rec[unit]))
            self._refused(response, "unit_id")
        self.assertEqual(self._owner_counts(), before)

    def test_daily_limit(self):
        self._login()
        now = datetime.datetime.utcnow()

        def flood(env):
            records = env["property.complaint"].browse()
            for hours in (1, 2, 3, 4, 5):
                records |= env["property.complaint"].create({
                    "partner_id": self.rec["owner"], "unit_id": self.rec["unit"],
                    "description": "Earlier portal complaint %d" % hours,
                    "channel": "portal",
                    "date_reported": fields.Datetime.to_string(
                        now - datetime.timedelta(hours=hours))})
            return records.ids
        flooded = self._read(flood)
        before = self._owner_counts()
        page = self._get("/my/complaints/new")
        self.assertIn("o_property_daily_limit", page.text)
        response = self._new()
        self._refused(response, "form")
        self.assertIn("o_property_form_error", response.text)
        self.assertEqual(self._owner_counts(), before)

        # the oldest leaves the 24 hours: one may be filed again
        def age(env):
            env["property.complaint"].browse(flooded[-1]).write({
                "date_reported": fields.Datetime.to_string(
                    now - datetime.timedelta(hours=25))})
        self._read(age)
        response = self._new()
        self.assertIn(response.status_code, (302, 303), response.text[:500])
        self.assertEqual(self._owner_counts()[0], before[0] + 1)

    def test_post_without_csrf_is_refused(self):
        self._login()
        before = self._owner_counts()
        response = self._post("/my/complaints/new", {
            "unit_id": str(self.rec["unit"]),
            "category_id": str(self.rec["category"]),
            "description": "No token in this form."}, csrf=False)
        self.assertEqual(response.status_code, 400)
        response = self._post("/my/complaints/%d/comment" % self.rec["opened"],
                              {"comment": "No token"}, csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._owner_counts(), before)

    # -- timeline and comments -------------------------------------------------------

    def test_timeline_shows_public_messages_not_internal_notes(self):
        self._login()
        response = self._get("/my/complaints/%d" % self.rec["opened"])
        self.assertEqual(response.status_code, 200)
        self.assertIn("The lift stops at floor 5.", response.text)
        self.assertIn(PUBLIC_NOTE, response.text)
        self.assertNotIn(INTERNAL_NOTE, response.text)
        self.assertNotIn("owes three months", response.text)

    def test_comment_with_photo(self):
        self._login()
        path = "/my/complaints/%d" % self.rec["opened"]
        response = self._post(path + "/comment",
                              {"comment": "It stopped again <b>today</b>."},
                              files=[self._photo("lift.jpg", JPEG)],
                              form_path=path)
        self.assertIn(response.status_code, (302, 303), response.text[:500])

        def read(env):
            message = env["mail.message"].search([
                ("model", "=", "property.complaint"),
                ("res_id", "=", self.rec["opened"]),
                ("body", "ilike", "stopped again")])
            return (message.author_id.id, message.subtype_id.internal,
                    [(att.res_model, att.res_id) for att in
                     message.attachment_ids])
        author, internal, files = self._read(read)
        self.assertEqual(author, self.rec["owner"])
        self.assertFalse(internal)
        self.assertEqual(files, [("property.complaint", self.rec["opened"])])
        page = self._get(path).text
        self.assertIn("It stopped again &lt;b&gt;today&lt;/b&gt;.", page)
        self.assertNotIn("<b>today</b>", page)

    def test_comment_with_refused_photo_posts_nothing(self):
        self._login()
        path = "/my/complaints/%d" % self.rec["opened"]
        before = (self._state(self.rec["opened"]), self._owner_counts())
        response = self._post(path + "/comment", {"comment": "See the bill"},
                              files=[self._photo("bill.png", PDF, "image/png")],
                              form_path=path)
        self._refused(response, "photos")
        self.assertEqual((self._state(self.rec["opened"]), self._owner_counts()),
                         before)

    # -- rating and reopening ------------------------------------------------------

    def test_rate_only_after_resolution(self):
        self._login()
        opened = "/my/complaints/%d" % self.rec["opened"]
        self.assertNotIn("o_property_rate", self._get(opened).text)
        response = self._post(opened + "/rate", {"score": "5"},
                              form_path=opened)
        self._refused(response, "form")
        self.assertFalse(self._state(self.rec["opened"])["satisfaction"])

        resolved = "/my/complaints/%d" % self.rec["resolved"]
        self.assertIn("o_property_rate", self._get(resolved).text)
        response = self._post(resolved + "/rate", {"score": "9"},
                              form_path=resolved)
        self._refused(response, "score")
        response = self._post(resolved + "/rate", {
            "score": "4", "rating_comment": "Quick and polite."},
            form_path=resolved)
        self.assertIn(response.status_code, (302, 303), response.text[:500])
        state = self._state(self.rec["resolved"])
        self.assertEqual((state["satisfaction"], state["followup_state"],
                          state["stage"]), ("4", "done", "closed"))
        # rated once per resolution
        response = self._post(resolved + "/rate", {"score": "1"},
                              form_path=resolved)
        self._refused(response, "form")
        self.assertEqual(self._state(self.rec["resolved"])["satisfaction"], "4")

    def test_low_rating_reopens(self):
        self._login()
        path = "/my/complaints/%d" % self.rec["resolved"]
        response = self._post(path + "/rate", {"score": "2"}, form_path=path)
        self.assertIn(response.status_code, (302, 303), response.text[:500])
        state = self._state(self.rec["resolved"])
        self.assertEqual((state["satisfaction"], state["stage"]),
                         ("2", "reopened"))

    def test_reopen_within_seven_days(self):
        self._login()
        path = "/my/complaints/%d" % self.rec["resolved"]
        self.assertIn("o_property_reopen", self._get(path).text)
        response = self._post(path + "/reopen", {"reason": " "},
                              form_path=path)
        self._refused(response, "reason")
        self.assertEqual(self._state(self.rec["resolved"])["stage"], "resolved")
        response = self._post(path + "/reopen",
                              {"reason": "The light is off again."},
                              form_path=path)
        self.assertIn(response.status_code, (302, 303), response.text[:500])
        self.assertEqual(self._state(self.rec["resolved"])["stage"], "reopened")
        self.assertIn("The light is off again.", self._get(path).text)

    def test_no_reopen_after_seven_days(self):
        self._login()
        path = "/my/complaints/%d" % self.rec["old"]
        page = self._get(path)
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("o_property_reopen", page.text)
        response = self._post(path + "/reopen", {"reason": "Still squeaks."},
                              form_path=path)
        self._refused(response, "form")
        self.assertEqual(self._state(self.rec["old"])["stage"], "resolved")

    # -- access ----------------------------------------------------------------------

    def test_other_owners_complaint_is_not_found(self):
        self._login()
        target = self.rec["neighbours"]
        before = self._state(target)
        path = "/my/complaints/%d" % target
        self.assertNotFound(self._get(path))
        for action, data in (("comment", {"comment": "Mine now"}),
                             ("rate", {"score": "1"}),
                             ("reopen", {"reason": "Mine now"})):
            self.assertNotFound(self._post("%s/%s" % (path, action), data))
        self.assertEqual(self._state(target), before)
        self.assertNotIn(self.rec["neighbours_name"],
                         self._get("/my/complaints").text)

    def test_missing_complaint_is_not_found(self):
        self._login()
        missing = self._read(lambda env: env["property.complaint"].search(
            [], order="id desc", limit=1).id + 1000)
        self.assertNotFound(self._get("/my/complaints/%d" % missing))
        self.assertNotFound(self._post("/my/complaints/%d/comment" % missing,
                                       {"comment": "Hello"}))
        self.assertNotFound(self._get("/my/complaints/%d/photos/1" % missing))

    def test_former_owner_gets_nothing(self):
        self._login(FORMER)
        path = "/my/complaints/%d" % self.rec["formers"]
        self.assertNotFound(self._get(path))
        self.assertNotFound(self._post(path + "/comment", {"comment": "Hi"}))
        self.assertNotIn(self.rec["formers_name"],
                         self._get("/my/complaints").text)
        self.assertNotFound(self._get("/my/complaints/new"))

    def test_forged_token_is_not_found(self):
        path = "/my/complaints/%d" % self.rec["opened"]
        self.assertNotFound(self._get(path + "?access_token=forged"))
        self.assertNotFound(self._get(
            path + "?access_token=" + self.rec["opened_token"][:-1] + "x"))
        # the complaint's own token shows it, read-only, even signed out
        page = self._get(path + "?access_token=" + self.rec["opened_token"])
        self.assertEqual(page.status_code, 200)
        self.assertIn(PUBLIC_NOTE, page.text)
        self.assertNotIn("o_property_rate", page.text)
        self._login(NEIGHBOUR)
        self.assertNotFound(self._get(path + "?access_token=forged"))
        # the complaint's own token shows it, read-only
        page = self._get(path + "?access_token=" + self.rec["opened_token"])
        self.assertEqual(page.status_code, 200)
        self.assertIn("The lift stops at floor 5.", page.text)
        self.assertNotIn(INTERNAL_NOTE, page.text)
        self.assertNotIn("o_property_comment", page.text)
        self.assertNotFound(self._post(path + "/comment", {
            "comment": "With a token", "access_token": self.rec["opened_token"]}))
