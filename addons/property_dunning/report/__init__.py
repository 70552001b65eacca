# Imported after the models and wizards: the effectiveness view reads the
# tables of every dunning model (the call outcomes' included).
from . import property_dunning_effect_report
