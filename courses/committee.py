"""The pedagogical committee's rule, as a pure function (no query).

Settings: ``COMMITTEE = {"quorum": 2, "majority": "simple"}``.

- Nothing is decided before ``quorum`` votes are cast on the proposal.
- From then on, after each vote, a choice that holds the majority of the
  votes cast decides: validate publishes the course, refuse refuses it,
  request changes sends it back to its author (the comments stay).
- ``"simple"`` majority: strictly more than half of the votes cast;
  ``"two_thirds"``: at least two thirds of them.
- A tie, or no choice holding the majority, waits for more votes.

Examples with quorum 2, simple majority: validate alone waits; validate +
validate publishes; validate + refuse is a tie and waits; then a third
validate publishes (2 of 3). With quorum 1 (a committee of one, for a small
install) the first vote decides.

Deadlock ("sans majorité"): the members who may vote on a proposal are the
committee's members but the course's authors (and whoever proposed it).
When every one of them has voted and no choice holds the majority (a tie
with every member voted; or fewer members who may vote than the quorum),
no further vote can come from the committee as it stands. The rule does
not break the tie by itself (no casting vote, no default outcome): the
proposal stays pending, the committee's queue and the proposal's page say
"no majority" (``deadlocked``, computed by
``courses.selectors.committee_queue`` and ``review_state``), and the next
member the partners name votes and decides. Publication still needs the
committee's majority, never one person's click.
"""

from collections import Counter
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MAJORITIES = {"simple": Fraction(1, 2), "two_thirds": Fraction(2, 3)}
DEFAULTS = {"quorum": 2, "majority": "simple"}


def committee_rule() -> tuple[int, str]:
    """(quorum, majority) from ``settings.COMMITTEE``; refuses what the rule
    cannot apply."""
    rule = {**DEFAULTS, **getattr(settings, "COMMITTEE", {})}
    quorum, majority = rule["quorum"], rule["majority"]
    if isinstance(quorum, bool) or not isinstance(quorum, int) or quorum < 1:
        raise ImproperlyConfigured(
            f"COMMITTEE['quorum'] must be a whole number from 1, not {quorum!r}"
        )
    if majority not in MAJORITIES:
        raise ImproperlyConfigured(
            f"COMMITTEE['majority'] must be one of {', '.join(MAJORITIES)}, not {majority!r}"
        )
    return quorum, majority


def holds_majority(count: int, cast: int, majority: str) -> bool:
    """Whether ``count`` of ``cast`` votes is the majority the rule asks."""
    share = Fraction(count, cast)
    if majority == "simple":
        return share > MAJORITIES["simple"]
    return share >= MAJORITIES[majority]


def decision(choices: list[str], *, quorum: int, majority: str) -> str | None:
    """The choice the votes cast (``choices``) decide, or None while the
    committee has not decided (below quorum, a tie, no majority)."""
    cast = len(choices)
    if cast < quorum or cast == 0:
        return None
    winners = [
        choice
        for choice, count in Counter(choices).items()
        if holds_majority(count, cast, majority)
    ]
    # At most one choice can hold more than half, or two thirds, of the votes.
    return winners[0] if len(winners) == 1 else None


def deadlocked(choices: list[str], *, eligible: int, quorum: int, majority: str) -> bool:
    """Whether the proposal is stuck: every member who may vote (``eligible``)
    has voted and the votes decide nothing (see the module's docstring)."""
    return len(choices) >= eligible and decision(choices, quorum=quorum, majority=majority) is None
