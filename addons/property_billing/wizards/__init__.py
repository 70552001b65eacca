from . import property_batch_wizard_mixin
from . import property_register_import
from . import property_meter_reading_entry
from . import property_meter_reading_import
from . import property_meter_missing
from . import property_notice_send
