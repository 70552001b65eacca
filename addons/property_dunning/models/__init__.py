from . import account_invoice
from . import property_dunning_policy
from . import property_dunning_level
from . import property_dunning_payer
from . import property_dunning_step
from . import property_dunning_delivery
from . import property_dunning_run
