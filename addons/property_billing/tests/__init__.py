# Odoo's runner (--test-enable) runs only the modules imported here; pytest-odoo
# collects the files themselves. tests/rules/test_addon_test_imports.py checks
# that every test_*.py is listed.
from . import test_access
from . import test_bill_question
from . import test_billing_equivalence
from . import test_billing_exactly_once
from . import test_billing_notice_pdf
from . import test_billing_run
from . import test_billing_run_lang
from . import test_billing_run_messages
from . import test_billing_run_meters
from . import test_bulk_insert
from . import test_billing_run_safety
from . import test_demo_generator
from . import test_demo_user_lang
from . import test_fee_notice
from . import test_fee_standard
from . import test_fee_standard_guard
from . import test_fee_standard_view
from . import test_import
from . import test_import_limits
from . import test_ledger_guard
from . import test_meter
from . import test_meter_import
from . import test_notice_board
from . import test_notice_delivery
from . import test_occupancy
from . import test_owner_chatter
from . import test_posted_invoice_guard
from . import test_record_rules
from . import test_register
from . import test_service_access
from . import test_sms_gateway_security
