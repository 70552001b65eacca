from . import property_complaint_category
from . import property_complaint_stage
