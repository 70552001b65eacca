from . import property_dunning_effect_export
from . import property_dunning_letter_delivery
from . import property_instalment_plan_wizard
from . import property_dunning_call_outcome
from . import property_dunning_payer_action
