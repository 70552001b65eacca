# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import models
from . import report
from . import wizards


def uninstall_hook(cr, registry):
    """The triggers that mark the bills for the stored reports go with the
    module, and their queue."""
    from .models.property_collection_store import drop_queue
    drop_queue(cr)
