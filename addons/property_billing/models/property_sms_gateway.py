# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import ipaddress
import logging
import socket
from collections import namedtuple
from datetime import time, timedelta
from urllib.parse import urlsplit

import requests

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..rules import delivery as delivery_rules
from ..rules import privacy

_logger = logging.getLogger(__name__)

SmsResult = namedtuple("SmsResult", "ok reference error")

# Hosts (names or IP addresses, comma-separated) a gateway may reach over plain
# http or on a loopback/private address, e.g. a provider's relay on the LAN or
# the tests' local stub. Only system administrators can set it.
INSECURE_HOSTS_PARAM = "property_billing.sms_gateway_insecure_hosts"
MIN_TIMEOUT, MAX_TIMEOUT = 1.0, 30.0


def _float_to_time(value):
    hours = int(value)
    minutes = int(round((value - hours) * 60))
    if minutes == 60:
        hours, minutes = hours + 1, 0
    return time(hours % 24, minutes)


class PropertySmsGateway(models.Model):
    """An SMS provider account (短信网关) through which notices are texted.

    ``_send_sms(number, text)`` dispatches on ``provider`` to
    ``_send_sms_<provider>``; a new provider is a selection entry plus that
    method. Every call returns an ``SmsResult`` and never raises for a
    provider error: the error is returned and recorded on the gateway.
    """

    _name = "property.sms.gateway"
    _description = "SMS Gateway"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True,
        default=lambda self: self.env.user.company_id)
    provider = fields.Selection(
        [("http_json", "HTTP JSON")], required=True, default="http_json",
        help="HTTP JSON: POST {to, text, sign} as JSON to the URL, the API key "
             "in a request header; any 2xx answer whose JSON has no "
             "'ok': false counts as sent.")
    url = fields.Char(string="URL", help="Endpoint receiving the messages.")
    api_key = fields.Char(string="API Key", groups="base.group_system,"
                          "property_billing.group_billing_manager")
    api_key_header = fields.Char(
        string="API Key Header", required=True, default="X-Api-Key")
    sign = fields.Char(
        string="Signature", help="Sender signature required by Chinese SMS "
                                 "providers, e.g. 【绿园物业】.")
    timeout = fields.Float(
        string="Timeout (s)", default=10.0,
        help="Seconds to wait for the provider before counting a failure.")
    max_attempts = fields.Integer(
        default=4, help="Attempts before a delivery is marked failed.")
    retry_delay = fields.Integer(
        string="First Retry After (min)", default=5,
        help="Minutes before the first retry; each next wait doubles, up to "
             "6 hours.")
    quiet_start = fields.Float(
        string="Quiet Hours From", default=21.0,
        help="No SMS from this local time of the estate ...")
    quiet_end = fields.Float(
        string="Quiet Hours To", default=8.0, help="... to this local time.")
    last_error = fields.Text(readonly=True)
    last_error_date = fields.Datetime(string="Last Error On", readonly=True)
    test_number = fields.Char(
        string="Test Mobile", help="Number used by the 'Send test SMS' button.")

    @api.constrains("timeout", "max_attempts", "retry_delay")
    def _check_limits(self):
        for gateway in self:
            if not MIN_TIMEOUT <= gateway.timeout <= MAX_TIMEOUT:
                raise ValidationError(_(
                    "The timeout of SMS gateway %(name)s must be between "
                    "%(min)s and %(max)s seconds.") % {
                        "name": gateway.name, "min": int(MIN_TIMEOUT),
                        "max": int(MAX_TIMEOUT)})
            if gateway.max_attempts < 1:
                raise ValidationError(_(
                    "SMS gateway %s must try at least once.") % gateway.name)
            if gateway.retry_delay < 1:
                raise ValidationError(_(
                    "The first retry of SMS gateway %s must wait at least one "
                    "minute.") % gateway.name)

    @api.constrains("quiet_start", "quiet_end")
    def _check_quiet_hours(self):
        for gateway in self:
            for value in (gateway.quiet_start, gateway.quiet_end):
                if not 0 <= value < 24:
                    raise ValidationError(_(
                        "Quiet hours of SMS gateway %s must be times of day "
                        "between 00:00 and 23:59.") % gateway.name)

    @api.constrains("provider", "url")
    def _check_url(self):
        for gateway in self:
            if gateway.provider != "http_json":
                continue
            problem = gateway._url_problem(gateway.url)
            if problem:
                raise ValidationError(_(
                    "SMS gateway %(name)s: %(problem)s") % {
                        "name": gateway.name, "problem": problem})

    @api.model
    def _insecure_hosts(self):
        value = self.env["ir.config_parameter"].sudo().get_param(
            INSECURE_HOSTS_PARAM) or ""
        return {host.strip().lower().strip("[]")
                for host in value.split(",") if host.strip()}

    @api.model
    def _url_problem(self, url, resolve=False):
        """Why the gateway may not call ``url`` (a translated sentence), or
        None. https only, to a public address; plain http and loopback or
        private addresses only for hosts of the ``INSECURE_HOSTS_PARAM``
        system parameter. ``resolve`` also checks the addresses the host
        name resolves to (just before sending)."""
        try:
            parts = urlsplit((url or "").strip())
            host = (parts.hostname or "").lower()
            port = parts.port  # a ValueError for a port that is not a number
        except ValueError:
            return _("the URL is not valid.")
        if parts.scheme not in ("http", "https") or not host:
            return _("the URL must start with https:// and name a host.")
        if parts.username or parts.password:
            return _("the URL may not hold a user name or password: put the "
                     "API key in the API Key field.")
        if host in self._insecure_hosts():
            return None
        if parts.scheme != "https":
            return _("the URL must use https:// (plain http only for hosts "
                     "listed by a system administrator in the system "
                     "parameter %s).") % INSECURE_HOSTS_PARAM
        addresses = [host]
        if resolve:
            try:
                addresses = [info[4][0] for info in socket.getaddrinfo(
                    host, port or 443, proto=socket.IPPROTO_TCP)]
            except (socket.gaierror, UnicodeError):
                return _("the host %s cannot be found.") % host
        for address in addresses:
            if _is_internal(address):
                return _("the URL points to a local or private address "
                         "(%(host)s); a system administrator may allow it in "
                         "the system parameter %(param)s.") % {
                             "host": host, "param": INSECURE_HOSTS_PARAM}
        return None

    @api.multi
    def _timeout(self):
        """The timeout in seconds, within the allowed bounds whatever is
        stored (a record saved before the bounds existed)."""
        self.ensure_one()
        return min(max(self.timeout or MAX_TIMEOUT, MIN_TIMEOUT), MAX_TIMEOUT)

    @api.multi
    def _redact(self, text):
        """``text`` without the API key and with mobiles masked: errors are
        stored on the gateway and the deliveries, logged and shown to users."""
        self.ensure_one()
        gateway = self.sudo()
        return privacy.redact(text, [gateway.api_key])

    # -- actions ---------------------------------------------------------------

    @api.multi
    def action_send_test_sms(self):
        self.ensure_one()
        if not self.test_number:
            raise UserError(_("Enter a test mobile number first."))
        result = self._send_sms(self.test_number, _("Test message from Odoo."))
        if not result.ok:
            raise UserError(_("The test SMS failed: %s") % result.error)
        return True

    # -- business methods --------------------------------------------------------

    @api.model
    def _get_gateway(self, company=None):
        """The first active gateway of ``company`` (default: the user's)."""
        company = company or self.env.user.company_id
        return self.search([("company_id", "=", company.id)], limit=1)

    @api.multi
    def _retry_policy(self):
        self.ensure_one()
        return delivery_rules.RetryPolicy(
            max_attempts=self.max_attempts,
            base_delay=timedelta(minutes=self.retry_delay))

    @api.multi
    def _quiet_hours(self):
        """(start, end) local ``time`` of the quiet hours."""
        self.ensure_one()
        return _float_to_time(self.quiet_start), _float_to_time(self.quiet_end)

    @api.multi
    def _send_sms(self, number, text):
        """Send ``text`` to ``number``; return an ``SmsResult``."""
        self.ensure_one()
        number = delivery_rules.normalize_mobile(number)
        if not delivery_rules.is_valid_mobile(number):
            result = SmsResult(False, None, _("Invalid mobile number."))
        else:
            method = getattr(self, "_send_sms_%s" % self.provider, None)
            if method is None:
                result = SmsResult(False, None, _(
                    "SMS provider %s is not implemented.") % self.provider)
            else:
                result = method(number, text)
        if not result.ok:
            result = result._replace(error=self._redact(result.error))
            _logger.info("SMS gateway %s: sending to %s failed: %s",
                         self.id, privacy.mask_mobile(number), result.error)
            self.sudo().write({"last_error": result.error,
                               "last_error_date": fields.Datetime.now()})
        return result

    @api.multi
    def _send_sms_http_json(self, number, text):
        self.ensure_one()
        gateway = self.sudo()
        headers = {"Content-Type": "application/json"}
        if gateway.api_key:
            headers[gateway.api_key_header] = gateway.api_key
        payload = {"to": number, "text": text, "sign": gateway.sign or ""}
        problem = gateway._url_problem(gateway.url, resolve=True)
        if problem:
            return SmsResult(False, None, _(
                "The SMS gateway is not called: %s") % problem)
        timeout = gateway._timeout()
        try:
            # never follow a redirect: it would carry the API key elsewhere
            response = requests.post(
                gateway.url, json=payload, headers=headers, timeout=timeout,
                allow_redirects=False)
        except requests.Timeout:
            return SmsResult(False, None, _(
                "No answer from the SMS gateway within %s seconds.")
                % timeout)
        except requests.RequestException as error:
            return SmsResult(False, None, _(
                "The SMS gateway cannot be reached: %s") % error)
        if response.is_redirect or 300 <= response.status_code < 400:
            return SmsResult(False, None, _(
                "The SMS gateway answered with a redirect (HTTP %s), which is "
                "not followed: enter the provider's final URL.")
                % response.status_code)
        try:
            data = response.json()
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        if not 200 <= response.status_code < 300 or data.get("ok") is False:
            return SmsResult(False, None, _(
                "The SMS gateway answered HTTP %(status)s: %(error)s") % {
                    "status": response.status_code,
                    "error": data.get("error") or response.text[:200]})
        reference = data.get("id") or data.get("message_id")
        return SmsResult(True, reference and str(reference), None)


def _is_internal(address):
    """Whether ``address`` (an IP literal or a host name) is loopback,
    private, link-local or otherwise not a public Internet address."""
    if address in ("localhost", "localhost.localdomain") or \
            address.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False  # a name: checked on its addresses before sending
    return not ip.is_global or ip.is_multicast
