from . import property_complaint_quick_entry
from . import property_complaint_export
