from . import property_register_import
