"""Complaint analysis (投诉回顾与改进): the figures of the periodic review.

The Odoo layer turns each complaint into a ``Fact`` (plain values, no records)
and asks for the figures of a group of complaints (``summarize``), of each
group along one dimension (``breakdown``: category, estate, building, team,
month) or for the most frequent root causes (``top_root_causes``). The xlsx
export and the tests read the same figures.

Definitions
-----------
* **SLA compliance** of a clock (response, resolution): met ÷ judged, in
  percent. A complaint is *judged* on a clock once the clock has stopped
  (``*_hours`` known) or has already breached (``*_breached`` True while it
  still runs: it can no longer be met); it is *met* when judged and not
  breached. Complaints not yet judged are left out; None when no complaint is
  judged.
* **Average / 90th percentile** response and resolution times: over the
  stopped clocks (``*_hours`` not None), in working hours as the SLA counts
  them; the percentile interpolates linearly between the closest ranks (as
  Excel's PERCENTILE.INC and numpy's default). None without values.
* **Satisfaction**: average of the scores 1–5 given, and the distribution
  {1: n, ..., 5: n} (every score present, 0 when nobody gave it).
* **Repeat rate**: complaints flagged as repeats ÷ all complaints, in percent.

>>> facts = [Fact("C1", response_hours=1.0, resolution_hours=10.0,
...               satisfaction=5),
...          Fact("C2", response_hours=3.0, response_breached=True,
...               resolution_breached=True, repeat=True, satisfaction=2),
...          Fact("C3")]
>>> s = summarize(facts)
>>> s.count, s.response_compliance, s.resolution_compliance
(3, 50.0, 50.0)
>>> s.response_avg, s.response_p90, s.satisfaction_avg, round(s.repeat_rate, 2)
(2.0, 2.8, 3.5, 33.33)
"""
import math
from collections import Counter, OrderedDict, namedtuple

SCORES = (1, 2, 3, 4, 5)

# The dimensions of ``breakdown``: the ``Fact`` attribute grouped on.
BY_CATEGORY, BY_ESTATE, BY_BUILDING, BY_TEAM, BY_MONTH = (
    "category", "estate", "building", "team", "month")
DIMENSIONS = [
    (BY_CATEGORY, "Category"),
    (BY_ESTATE, "Estate"),
    (BY_BUILDING, "Building"),
    (BY_TEAM, "Team"),
    (BY_MONTH, "Month"),
]

_FACT_FIELDS = (
    "key category estate building team month "
    "response_hours response_breached resolution_hours resolution_breached "
    "satisfaction repeat root_cause corrective_action")
Fact = namedtuple("Fact", _FACT_FIELDS, defaults=(None,) * 5 + (
    None, False, None, False, None, False, None, None))
Fact.__doc__ = (
    "One complaint as the analysis sees it. ``key``: the caller's (number or "
    "id); ``category`` ... ``month``: group labels (None: not set; ``month`` "
    "as '2026-03'); ``*_hours``: working hours the clock took, None while it "
    "runs; ``*_breached``: the clock passed its target; ``satisfaction``: "
    "1-5 or None; ``repeat``: flagged as a repeat complaint; ``root_cause`` "
    "and ``corrective_action``: free text, None when not analysed.")

Summary = namedtuple(
    "Summary",
    "group count response_judged response_met response_compliance "
    "resolution_judged resolution_met resolution_compliance "
    "response_avg response_p90 resolution_avg resolution_p90 "
    "satisfaction_count satisfaction_avg satisfaction_distribution "
    "repeat_count repeat_rate")
Summary.__doc__ = ("The figures of a group of complaints; percentages in "
                   "0..100, times in hours, None when there is nothing to "
                   "measure.")

RootCause = namedtuple("RootCause", "root_cause count share corrective_actions")
RootCause.__doc__ = ("A root cause, how many complaints it caused, their share "
                     "(percent of the complaints analysed) and the distinct "
                     "corrective actions taken, most frequent first.")


def percentile(values, share):
    """The ``share`` (0..1) percentile of ``values`` with linear
    interpolation between closest ranks; None for no values.

    >>> percentile([1, 2, 3, 4], 0.9), percentile([5], 0.9), percentile([], 0.5)
    (3.7, 5.0, None)
    """
    if not 0 <= share <= 1:
        raise ValueError("a percentile share lies in [0, 1]: %r" % (share,))
    ordered = sorted(float(value) for value in values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * share
    low = math.floor(position)
    high = math.ceil(position)
    fraction = position - low
    value = ordered[low] + (ordered[high] - ordered[low]) * fraction
    return round(value, 10)


def _average(values):
    values = [float(value) for value in values]
    return round(sum(values) / len(values), 10) if values else None


def _rate(part, whole):
    return round(100.0 * part / whole, 10) if whole else None


def _clock(facts, kind):
    hours = [getattr(f, kind + "_hours") for f in facts
             if getattr(f, kind + "_hours") is not None]
    judged = [f for f in facts if getattr(f, kind + "_hours") is not None
              or getattr(f, kind + "_breached")]
    met = [f for f in judged if not getattr(f, kind + "_breached")]
    return (len(judged), len(met), _rate(len(met), len(judged)),
            _average(hours), percentile(hours, 0.9))


def summarize(facts, group=None):
    """The ``Summary`` of ``facts`` (labelled ``group``)."""
    facts = list(facts)
    for fact in facts:
        score = fact.satisfaction
        if score is not None and score not in SCORES:
            raise ValueError("a satisfaction score is 1 to 5: %r" % (score,))
    response = _clock(facts, "response")
    resolution = _clock(facts, "resolution")
    scores = [f.satisfaction for f in facts if f.satisfaction is not None]
    counter = Counter(scores)
    repeats = sum(1 for f in facts if f.repeat)
    return Summary(
        group=group,
        count=len(facts),
        response_judged=response[0],
        response_met=response[1],
        response_compliance=response[2],
        resolution_judged=resolution[0],
        resolution_met=resolution[1],
        resolution_compliance=resolution[2],
        response_avg=response[3],
        response_p90=response[4],
        resolution_avg=resolution[3],
        resolution_p90=resolution[4],
        satisfaction_count=len(scores),
        satisfaction_avg=_average(scores),
        satisfaction_distribution=OrderedDict(
            (score, counter.get(score, 0)) for score in SCORES),
        repeat_count=repeats,
        repeat_rate=_rate(repeats, len(facts)),
    )


def breakdown(facts, dimension):
    """One ``Summary`` per value of ``dimension`` (a ``Fact`` attribute, see
    ``DIMENSIONS``), ordered by decreasing count then by label; complaints
    without a value form a last group labelled None.

    >>> rows = breakdown([Fact(1, category="噪音"), Fact(2, category="停车"),
    ...                   Fact(3, category="噪音"), Fact(4)], BY_CATEGORY)
    >>> [(row.group, row.count) for row in rows]
    [('噪音', 2), ('停车', 1), (None, 1)]
    """
    if dimension not in Fact._fields:
        raise ValueError("unknown analysis dimension %r" % (dimension,))
    groups = OrderedDict()
    for fact in facts:
        groups.setdefault(getattr(fact, dimension), []).append(fact)
    rows = [summarize(members, label) for label, members in groups.items()]
    if dimension == BY_MONTH:
        key = (lambda row: (row.group is None, str(row.group)))
    else:
        key = (lambda row: (row.group is None, -row.count, str(row.group)))
    return sorted(rows, key=key)


def _text(value):
    return " ".join((value or "").split())


def top_root_causes(facts, limit=10):
    """The ``limit`` most frequent root causes (blank ones ignored, compared
    after collapsing white space), with their corrective actions.

    >>> causes = top_root_causes([
    ...     Fact(1, root_cause="Pump failure", corrective_action="Replace pump"),
    ...     Fact(2, root_cause="Pump  failure", corrective_action="Replace pump"),
    ...     Fact(3, root_cause="Late cleaning", corrective_action="New rota"),
    ...     Fact(4)])
    >>> for cause in causes:
    ...     print(cause.root_cause, cause.count, cause.share,
    ...           cause.corrective_actions)
    Pump failure 2 50.0 ['Replace pump']
    Late cleaning 1 25.0 ['New rota']
    """
    facts = list(facts)
    causes = OrderedDict()
    for fact in facts:
        cause = _text(fact.root_cause)
        if cause:
            causes.setdefault(cause, []).append(fact)
    ranked = sorted(causes.items(), key=lambda item: (-len(item[1]), item[0]))
    result = []
    for cause, members in ranked[:limit]:
        actions = Counter(_text(f.corrective_action) for f in members)
        actions.pop("", None)
        ordered = sorted(actions.items(), key=lambda item: (-item[1], item[0]))
        result.append(RootCause(cause, len(members), _rate(len(members), len(facts)),
                                [action for action, _count in ordered]))
    return result
