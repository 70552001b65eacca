# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import test_collection_analysis
from . import test_collection_dashboard
from . import test_collection_demo
from . import test_collection_exports
from . import test_collection_history
from . import test_collection_store
