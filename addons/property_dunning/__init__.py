"""Graded dunning (催缴): per-payer steps, instalment plans (分期), late fees
(违约金) and a lawful path to court (诉讼 / 仲裁)."""
from . import models
from . import wizards
from . import report
