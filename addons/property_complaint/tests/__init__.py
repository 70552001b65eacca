from . import test_complaint_configuration
