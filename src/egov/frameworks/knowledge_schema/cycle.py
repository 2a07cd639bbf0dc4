"""The intersectoral governance (ISG) programme cycle, ``isg/cycle.yaml`` → :class:`IsgCycle`.

Ten steps in three phases and the actors that take part in each step at the national level
(spec §6.1, §6.2, after seed 004), with the tracking rules of §6.3 as pure functions: a step
may start once the previous one is complete (:func:`can_start`); progress is completed steps
÷ 10 (:func:`programme_progress`), and for an actor, the completed steps it took part in ÷
the steps the matrix assigns it (:func:`actor_progress`); an actor recorded in a step the
matrix does not give it is allowed but flagged (:meth:`IsgCycle.outside_matrix`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from functools import cache
from typing import Annotated, Final

from egov.frameworks.knowledge_schema.fields import (
    Code,
    Model,
    NonEmpty,
    Problem,
    StepNumber,
    Text,
    checked,
)
from egov.frameworks.yamldoc import packaged, path_text

#: Where the cycle lives, relative to ``egov.frameworks``.
CYCLE_FILE: Final = "isg/cycle.yaml"


class Phase(Model):
    id: Text
    name: Text
    steps: Annotated[tuple[StepNumber, ...], NonEmpty]


class Sector(Model):
    name: Text
    as_in_seed: Text | None = None


class Actor(Model):
    sector: Code
    label: Text
    as_in_seed: Text | None = None
    steps: Annotated[tuple[StepNumber, ...], NonEmpty]


class IsgCycle(Model):
    """The ten-step intersectoral programme cycle and who takes part in each step.

    >>> cycle = load_cycle()
    >>> cycle.actors_for(4), cycle.steps_for("business")
    (('higher_governing_bodies',), (1, 3, 5, 9))
    >>> cycle.phase_of(8).name
    'Working out a program'
    >>> cycle.outside_matrix(10, ["ministries_agencies", "business"])
    ('business',)
    """

    cycle: Text
    version: Text
    level: Text
    source: Text
    phases: Annotated[tuple[Phase, ...], NonEmpty]
    steps: dict[StepNumber, Text]
    sectors: dict[Code, Sector]
    actors: dict[Code, Actor]

    @property
    def step_count(self) -> int:
        return len(self.steps)

    def step(self, number: int) -> str:
        """The name of step ``number``; KeyError for a step the cycle does not have."""
        try:
            return self.steps[number]
        except KeyError:
            raise KeyError(f"no step {number} in the cycle (1 to {self.step_count})") from None

    def actors_for(self, step: int) -> tuple[str, ...]:
        """The actors the matrix lists for ``step``, in file order."""
        self.step(step)
        return tuple(actor for actor, spec in self.actors.items() if step in spec.steps)

    def steps_for(self, actor: str) -> tuple[int, ...]:
        """The steps the matrix assigns to ``actor``."""
        try:
            return self.actors[actor].steps
        except KeyError:
            raise KeyError(f"no actor {actor!r} in the cycle") from None

    def phase_of(self, step: int) -> Phase:
        self.step(step)
        return next(phase for phase in self.phases if step in phase.steps)

    def outside_matrix(self, step: int, actors: Iterable[str]) -> tuple[str, ...]:
        """The ``actors`` the matrix does not list for ``step``: allowed, but flagged (§6.3)."""
        listed = set(self.actors_for(step))
        return tuple(actor for actor in dict.fromkeys(actors) if actor not in listed)


def _completed(completed_steps: Iterable[int], cycle: IsgCycle) -> frozenset[int]:
    done = frozenset(completed_steps)
    for step in sorted(done):
        cycle.step(step)
    return done


def programme_progress(completed_steps: Iterable[int], *, cycle: IsgCycle) -> float:
    """The share of the cycle's steps completed: completed ÷ 10 (spec §6.3).

    >>> cycle = load_cycle()
    >>> programme_progress([1, 2, 3], cycle=cycle)
    0.3
    >>> programme_progress([], cycle=cycle), programme_progress(range(1, 11), cycle=cycle)
    (0.0, 1.0)
    """
    return len(_completed(completed_steps, cycle)) / cycle.step_count


def actor_progress(
    actor: str,
    completed_steps: Iterable[int],
    *,
    cycle: IsgCycle,
    participation: Mapping[int, Collection[str]] | None = None,
) -> float:
    """Completed steps in which ``actor`` took part ÷ the steps the matrix assigns it (§6.3).

    Without ``participation`` the matrix says who took part; with it (step → the lead and
    participating actors recorded), only steps where ``actor`` was recorded count. A step
    outside the actor's row never counts (it is flagged by :meth:`IsgCycle.outside_matrix`),
    so the share stays between 0 and 1.

    >>> cycle = load_cycle()
    >>> actor_progress("business", [1, 2, 3], cycle=cycle)
    0.5
    >>> actor_progress("business", [1, 2, 3], cycle=cycle, participation={1: ["business"], 3: []})
    0.25
    >>> actor_progress("higher_governing_bodies", [1, 2], cycle=cycle)
    0.2
    """
    assigned = cycle.steps_for(actor)
    done = _completed(completed_steps, cycle)
    counted = [
        step
        for step in assigned
        if step in done and (participation is None or actor in participation.get(step, ()))
    ]
    return len(counted) / len(assigned)


def can_start(step: int, completed_steps: Iterable[int], *, cycle: IsgCycle) -> bool:
    """Whether ``step`` may start: the previous step is complete and this one is not (§6.3).
    Step 1 starts a cycle: it may start when nothing is complete, or when the whole cycle is
    (step 10 loops back to 1 for a new round).

    >>> cycle = load_cycle()
    >>> can_start(1, [], cycle=cycle), can_start(2, [], cycle=cycle)
    (True, False)
    >>> can_start(4, [1, 2, 3], cycle=cycle), can_start(5, [1, 2, 3], cycle=cycle)
    (True, False)
    >>> can_start(3, [1, 2, 3], cycle=cycle)
    False
    >>> can_start(1, [1, 2], cycle=cycle), can_start(1, range(1, 11), cycle=cycle)
    (False, True)
    """
    done = _completed(completed_steps, cycle)
    cycle.step(step)
    if step == 1:
        return not done or len(done) == cycle.step_count
    return step - 1 in done and step not in done


def _problems(cycle: IsgCycle) -> Iterator[Problem]:
    numbers = list(cycle.steps)
    if numbers != list(range(1, len(numbers) + 1)):
        yield Problem(
            "steps-order", f"steps must be 1, 2, 3, ... in order, not {numbers}", ("steps",)
        )
    phased: dict[int, tuple[object, ...]] = {}
    for i, phase in enumerate(cycle.phases):
        for j, step in enumerate(phase.steps):
            where = ("phases", i, "steps", j)
            if step not in cycle.steps:
                yield Problem("unknown-step", f"no step {step}", where, str(step))
            elif step in phased:
                message = f"step {step} is already in {path_text(phased[step][:2])}"
                yield Problem("duplicate-step", message, where, str(step))
            else:
                phased[step] = where
    if list(phased) != sorted(phased):
        yield Problem("steps-order", "phases must take the steps in order", ("phases",))
    for step in numbers:
        if step not in phased:
            yield Problem(
                "unphased-step", f"step {step} is in no phase", ("steps", str(step)), str(step)
            )
    for actor, spec in cycle.actors.items():
        if spec.sector not in cycle.sectors:
            known = ", ".join(cycle.sectors)
            message = f"no sector {spec.sector!r}; known: {known}"
            yield Problem("unknown-sector", message, ("actors", actor, "sector"), spec.sector)
        for j, step in enumerate(spec.steps):
            if step not in cycle.steps:
                yield Problem(
                    "unknown-step", f"no step {step}", ("actors", actor, "steps", j), str(step)
                )
        if list(spec.steps) != sorted(set(spec.steps)):
            message = f"steps must ascend without repeats, not {list(spec.steps)}"
            yield Problem("steps-order", message, ("actors", actor, "steps"))


def parse_cycle(text: str, *, file: str = CYCLE_FILE) -> IsgCycle:
    """The cycle in the text of a ``cycle.yaml``; :class:`FrameworkError` lists every problem."""
    return checked(IsgCycle, text, file, _problems)


@cache
def load_cycle() -> IsgCycle:
    """The packaged ISG programme cycle, ``isg/cycle.yaml``; loaded once."""
    return parse_cycle(packaged(CYCLE_FILE), file=CYCLE_FILE)
