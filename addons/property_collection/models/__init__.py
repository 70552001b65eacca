# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import property_collection_ratio
from . import property_collection_store
from . import property_collection_fact
from . import property_arrears_report
from . import property_arrears_recovery
from . import property_collection_curve
from . import property_collection_dashboard
from . import property_collection_demo
