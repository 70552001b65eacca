# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import mail_mail
from . import property_occupancy
from . import payment_transaction
from . import property_bill_question
from . import res_company
from . import property_complaint
