from . import property_dunning_letter_delivery
