"""What the dunning rules share: money rounded to the cent and the shape of
their refusals. Nothing here imports odoo."""
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


class RuleError(ValueError):
    """A refusal of a dunning rule: ``code`` names the reason and ``params``
    its details, for the caller to word in the user's language. Each rules
    module raises its own subclass, so that a caller catches only the
    refusals it words."""

    def __init__(self, code, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


def money(value, precision=CENT):
    """``value`` as a Decimal rounded half up to ``precision``.

    >>> money("0.285"), money(19.99)
    (Decimal('0.29'), Decimal('19.99'))
    """
    if isinstance(value, float):
        value = repr(value)
    return Decimal(value).quantize(Decimal(precision), rounding=ROUND_HALF_UP)
