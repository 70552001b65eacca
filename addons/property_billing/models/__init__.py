from . import property_estate
from . import property_building
from . import property_unit
from . import property_occupancy
from . import res_partner
from . import property_demo_generator
