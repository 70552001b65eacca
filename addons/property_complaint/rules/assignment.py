"""Who handles a complaint (分派): assignment rules, then a member of the team.

Plain Python: rules and loads are passed in as simple values.

Rules
-----
A ``Rule`` sends complaints to a team by category, estate and building; an
empty criterion matches anything, a category criterion matches the category and
its sub-categories. Rules are tried by ``sequence`` (then ``key``): the first
match wins.

>>> rules = [Rule(1, team=10, sequence=20),
...          Rule(2, team=11, category=5, sequence=10)]
>>> first_match(rules, Facts(category=7, parent_category=5)).team
11
>>> first_match(rules, Facts(category=8)).team
10

Members
-------
``round_robin(members, last)`` takes the member after the last one served
(members in their given order, wrapping round); ``least_loaded(members, loads)``
the one with the fewest open complaints, the first listed on a tie.

>>> round_robin([4, 7, 9], last=7)
9
>>> round_robin([4, 7, 9], last=9)
4
>>> least_loaded([4, 7, 9], {4: 3, 7: 1, 9: 1})
7
"""
from collections import namedtuple

ROUND_ROBIN, LEAST_LOADED, MANUAL = "round_robin", "least_loaded", "manual"
ASSIGNMENT_METHODS = [
    (ROUND_ROBIN, "Round-robin"),
    (LEAST_LOADED, "Least loaded"),
    (MANUAL, "Manual (leader assigns)"),
]

Rule = namedtuple("Rule", "key team category estate building sequence",
                  defaults=(None, None, None, 10))
Rule.__doc__ = ("An assignment rule: ``key`` is the caller's (a record id), "
                "``team`` the team it gives, criteria None mean any.")

Facts = namedtuple("Facts", "category parent_category estate building",
                   defaults=(None, None, None, None))
Facts.__doc__ = "What the rules look at on a complaint (ids or None)."


def matches(rule, facts):
    """Does ``rule`` apply to a complaint with these ``facts``?"""
    if rule.category is not None and rule.category not in (
            facts.category, facts.parent_category):
        return False
    if rule.estate is not None and rule.estate != facts.estate:
        return False
    return rule.building is None or rule.building == facts.building


def first_match(rules, facts):
    """The first rule (by sequence, then key) that applies, or None."""
    ordered = sorted(rules, key=lambda rule: (rule.sequence, rule.key or 0))
    for rule in ordered:
        if matches(rule, facts):
            return rule
    return None


def round_robin(members, last=None):
    """The member after ``last`` in ``members`` (the first when unknown)."""
    members = list(members)
    if not members:
        return None
    if last not in members:
        return members[0]
    return members[(members.index(last) + 1) % len(members)]


def least_loaded(members, loads):
    """The member with the fewest open complaints (``loads``: {member: n})."""
    members = list(members)
    if not members:
        return None
    return min(members, key=lambda member: (loads.get(member, 0),
                                            members.index(member)))


def pick_member(method, members, last=None, loads=None):
    """The member chosen by the team's ``method`` (None for manual)."""
    if method == ROUND_ROBIN:
        return round_robin(members, last)
    if method == LEAST_LOADED:
        return least_loaded(members, loads or {})
    return None
