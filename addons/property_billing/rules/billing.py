"""Planning a billing run (计费批次): which line each payer owes for each unit.

Plain Python: the Odoo layer passes the units, their payer segments, the
applicable standards and the consumptions of the period; ``plan`` returns the
planned lines (one per unit × payer segment × payer × fee item, with amount
and human-readable basis, computed by ``fees`` and cut by ``proration``) and
the problems that keep a line from being billed. Nothing is written here.

Rules:

1. A fee standard applies to a unit when its ``unit_keys`` is None (every
   unit in the run) or contains the unit. A standard whose ``billable_from``
   is after the first day of the period is not billed at all (publication
   gate, problem ``not_billable``).
2. The full amount of a line is computed once per unit and item for the whole
   period (``fees.line_amount``; apportioned items by ``fees.apportion`` over
   every unit the shared cost is spread on, also those outside the run).
3. When the payers change inside the period, the full amount is cut by days
   (``proration.prorate``), so the parts sum exactly to it; each part goes to
   the payers of its days, co-payers sharing it by their shares
   (``fees.allocate``). Days without a payer are not billed (problem
   ``no_payer``).
4. A metered item without consumption for a unit is not billed (problem
   ``missing_reading``).

>>> from datetime import date
>>> from decimal import Decimal
>>> from .fees import PER_AREA, Standard
>>> units = [PlanUnit(1, Decimal("89.50"), code="3-2-1502")]
>>> standards = [PlanStandard("s1", "mgmt", Standard(PER_AREA, Decimal("2.80")))]
>>> period = Period(date(2026, 3, 1), date(2026, 3, 31))
>>> segments = {1: [(date(2026, 3, 1), date(2026, 3, 15), [("Li", 100.0)]),
...                 (date(2026, 3, 16), date(2026, 3, 31), [("Wang", 100.0)])]}
>>> result = plan(units, segments, standards, period)
>>> [(pl.partner, pl.amount, pl.date_from.day) for pl in result.lines]
[('Li', Decimal('121.26'), 1), ('Wang', Decimal('129.34'), 16)]
>>> for part in result.lines[1].basis.split("; "): print(part)
89.50 m² × 2.80 元/m²/月 × 1 月 = 250.60 元
250.60 元 × 16 天 ÷ 31 天 (2026-03-16~2026-03-31)
>>> result.problems
[]
"""
from collections import OrderedDict
from decimal import Decimal
from typing import NamedTuple, Optional

from . import fees, proration
from .fees import CENT, DEFAULT_LABELS, allocate, format_number, rounding_note
from .periods import Period, make_period

NO_PAYER = "no_payer"
MISSING_READING = "missing_reading"
NOT_BILLABLE = "not_billable"
INVALID = "invalid"
PROBLEM_CODES = [
    (NO_PAYER, "No payer"),
    (MISSING_READING, "Missing reading"),
    (NOT_BILLABLE, "Standard not billable yet"),
    (INVALID, "Cannot compute"),
]


class PlanUnit(NamedTuple):
    """A unit to bill: ``key`` (the caller's id), building area, state, type."""

    key: object
    area: Decimal
    state: str = "occupied"
    unit_type: str = "residential"
    building: object = None
    code: str = ""


class PlanStandard(NamedTuple):
    """An applicable fee standard of the period.

    ``item``: the fee item key (the exactly-once key is unit × item × period);
    ``standard``: a ``fees.Standard``; ``unit_keys``: the units it applies to
    (None = every unit of the run); ``billable_from``: first day it may bill
    (None = no gate); ``apportion_basis``: ``fees.BY_AREA``/``fees.EQUALLY``;
    ``labels``: the ``fees.Labels`` of its bases (``each``, ``meter``...);
    ``period``: the part of the run's period it is effective on (a new
    version starting mid-month), None = the whole period.
    """

    key: object
    item: object
    standard: fees.Standard
    unit_keys: Optional[frozenset] = None
    billable_from: object = None
    apportion_basis: str = fees.BY_AREA
    labels: Optional[fees.Labels] = None
    period: Optional[Period] = None


class Consumption(NamedTuple):
    """The metered consumption of one unit for one item over the period."""

    quantity: Decimal
    billed_this_year: Decimal = Decimal(0)


class SharedCost(NamedTuple):
    """A shared amount (e.g. a shared meter) of an apportioned standard, split
    over ``weights`` [(unit key, building area)]: every unit it is spread on,
    inside the run or not."""

    standard: object
    total: Decimal
    weights: tuple


class PlannedLine(NamedTuple):
    """One line to bill: ``partner`` owes ``amount`` for ``unit`` × ``item``
    over ``date_from``..``date_to`` (a part of the period)."""

    unit: object
    item: object
    standard: object
    partner: object
    share: float
    date_from: object
    date_to: object
    amount: Decimal
    basis: str
    full_amount: Decimal


class Problem(NamedTuple):
    """Why something is not billed: ``code`` (see ``PROBLEM_CODES``), the
    unit / item / standard keys it concerns (None when not specific) and a
    ``detail`` the caller may show: plain text (dates, numbers) or, for
    ``INVALID``, the ``fees.FeeError`` to put in the user's language."""

    code: str
    unit: object = None
    item: object = None
    standard: object = None
    detail: object = ""


class Plan(NamedTuple):
    lines: list
    problems: list

    def totals_by_item(self):
        """OrderedDict {item: Decimal total} in order of first appearance."""
        totals = OrderedDict()
        for line in self.lines:
            totals[line.item] = totals.get(line.item, Decimal(0)) + line.amount
        return totals

    def by_invoice(self):
        """OrderedDict {(unit, partner): [PlannedLine]}: one invoice each."""
        groups = OrderedDict()
        for line in self.lines:
            groups.setdefault((line.unit, line.partner), []).append(line)
        return groups

    @property
    def total(self):
        return sum((line.amount for line in self.lines), Decimal(0))


def _applies(standard, unit):
    return standard.unit_keys is None or unit.key in standard.unit_keys


def _apportioned(standards, shared_costs, precision):
    """{(standard key, unit key): [FeeLine]} of every apportioned standard."""
    by_key = {s.key: s for s in standards}
    result = {}
    for cost in shared_costs or ():
        standard = by_key.get(cost.standard)
        if standard is None:
            continue
        lines = fees.apportion(cost.total, cost.weights, by=standard.apportion_basis,
                               precision=precision,
                               labels=standard.labels or DEFAULT_LABELS)
        for unit_key, line in lines.items():
            result.setdefault((standard.key, unit_key), []).append(line)
    return result


def _merge(lines):
    """One FeeLine from the parts of several shared costs."""
    if len(lines) == 1:
        return lines[0]
    return fees.FeeLine(lines[0].method, sum((pl.amount for pl in lines), Decimal(0)),
                        " + ".join("(%s)" % pl.basis for pl in lines))


def full_lines(unit, standards, period, consumptions=None, apportioned=None,
               precision=CENT):
    """[(standard, FeeLine)] for ``unit`` over the whole period, and problems."""
    consumptions = consumptions or {}
    apportioned = apportioned or {}
    result, problems = [], []
    rule_unit = fees.Unit(unit.key, unit.area, unit.state)
    for standard in standards:
        if not _applies(standard, unit):
            continue
        labels = standard.labels or DEFAULT_LABELS
        method = standard.standard.method
        effective = standard.period or period
        try:
            if method == fees.APPORTIONED:
                parts = apportioned.get((standard.key, unit.key))
                if not parts:
                    continue
                line = _merge(parts)
            elif method == fees.METERED:
                consumption = consumptions.get((standard.item, unit.key))
                if consumption is None:
                    problems.append(Problem(MISSING_READING, unit.key, standard.item,
                                            standard.key))
                    continue
                line = fees.line_amount(
                    standard.standard, rule_unit, effective,
                    consumption=consumption.quantity,
                    billed_this_year=consumption.billed_this_year,
                    precision=precision, labels=labels)
            else:
                line = fees.line_amount(standard.standard, rule_unit, effective,
                                        precision=precision, labels=labels)
        except ValueError as error:
            problems.append(Problem(INVALID, unit.key, standard.item, standard.key,
                                    _error_detail(error)))
            continue
        result.append((standard, line))
    return result, problems


def _error_detail(error):
    """A problem's detail: the ``fees.FeeError`` itself (its code and params are
    translated by the Odoo layer), or the text of any other ValueError."""
    return error if isinstance(error, fees.FeeError) else str(error)


def clip_segments(segments, period):
    """The payer segments restricted to the days of ``period``."""
    clipped = []
    for start, end, payers in segments:
        start, end = max(start, period.date_from), min(end, period.date_to)
        if start <= end:
            clipped.append((start, end, payers))
    return clipped


def split_line(unit_key, standard, line, period, segments, precision=CENT,
               labels=DEFAULT_LABELS):
    """Cut one full-period ``line`` over the payer ``segments`` of the unit.

    ``segments``: [(date_from, date_to, [(partner, share)])] covering the
    period (they are clipped to ``period``). Returns ([PlannedLine], days
    without payer as [(from, to)]).
    """
    segments = clip_segments(segments, period)
    unbilled = [(start, end) for start, end, payers in segments if not payers]
    whole = len(segments) == 1
    if whole:
        start, end, payers = segments[0]
        parts = [(payers, start, end, line.amount, line.basis)]
    else:
        prorated = proration.prorate(
            line.amount, period.date_from, period.date_to,
            [(index, start, end) for index, (start, end, _p) in enumerate(segments)],
            precision=precision, labels=labels)
        head = "%s = %s %s" % (line.basis, format_number(line.amount), labels.currency)
        parts = [(segments[part.key][2], part.date_from, part.date_to, part.amount,
                  "%s; %s" % (head, part.basis)) for part in prorated]
    planned = []
    for payers, start, end, amount, basis in parts:
        if not payers:
            continue
        if len(payers) == 1:
            planned.append(PlannedLine(unit_key, standard.item, standard.key,
                                       payers[0][0], payers[0][1], start, end,
                                       amount, basis, line.amount))
            continue
        shares = allocate(amount, [(partner, Decimal(repr(float(share))))
                                   for partner, share in payers], precision)
        for (partner, share), part in zip(payers, shares):
            planned.append(PlannedLine(
                unit_key, standard.item, standard.key, partner, share, start, end,
                part.amount,
                "%s × %s%%%s" % (basis, format_number(Decimal(repr(float(share))), 0),
                                 rounding_note(part, precision, labels)),
                line.amount))
    return planned, unbilled


def plan(units, segments, standards, period, consumptions=None, shared_costs=None,
         precision=CENT):
    """Plan the lines of a billing run (see the module rules).

    ``units``: ``PlanUnit``; ``segments``: {unit key: [(date_from, date_to,
    [(partner, share)])]} covering the period (``occupancy.payer_segments``);
    ``standards``: ``PlanStandard``; ``period``: a ``Period``;
    ``consumptions``: {(item, unit key): ``Consumption``};
    ``shared_costs``: ``SharedCost`` of the apportioned standards.
    Returns a ``Plan`` (lines in the order of units, then standards).
    """
    period = make_period(*period)
    problems, billable = [], []
    for standard in standards:
        gate = standard.billable_from
        if gate is not None and gate > period.date_from:
            problems.append(Problem(NOT_BILLABLE, None, standard.item, standard.key,
                                    standard.billable_from.isoformat()))
        else:
            billable.append(standard)
    try:
        apportioned = _apportioned(billable, shared_costs, precision)
    except ValueError as error:
        apportioned = {}
        problems.append(Problem(INVALID, None, None, None, _error_detail(error)))
    lines = []
    for unit in units:
        unit_segments = (segments.get(unit.key)
                         or [(period.date_from, period.date_to, [])])
        unit_lines, unit_problems = full_lines(unit, billable, period, consumptions,
                                               apportioned, precision)
        problems.extend(unit_problems)
        if not unit_lines:
            continue
        no_payer = []
        for standard, line in unit_lines:
            planned, unbilled = split_line(unit.key, standard, line,
                                           standard.period or period,
                                           unit_segments, precision,
                                           standard.labels or DEFAULT_LABELS)
            lines.extend(planned)
            no_payer = unbilled
        if no_payer:
            problems.append(Problem(NO_PAYER, unit.key, None, None, ", ".join(
                "%s~%s" % (start.isoformat(), end.isoformat())
                for start, end in no_payer)))
    return Plan(lines, problems)


__all__ = [
    "NO_PAYER", "MISSING_READING", "NOT_BILLABLE", "INVALID", "PROBLEM_CODES",
    "PlanUnit", "PlanStandard", "Consumption", "SharedCost", "PlannedLine",
    "Problem", "Plan", "full_lines", "clip_segments", "split_line", "plan", "Period",
]
