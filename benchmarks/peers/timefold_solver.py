"""Timefold Solver (the `timefold` Python package on the machine's Java 17), same constraints.

A planning entity per pupil whose variable is one of its own eligible seats or none
(`allows_unassigned`); the score is hard (seat capacity and company max_students), medium
(minus the priority of unplaced pupils) and soft (minus the cost): the lexicographic objective
of SPEC 3 as Timefold expresses one. Timefold's default construction heuristic and local search
run until the time limit, less the seconds the JVM took to start.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Annotated

import numpy as np
from timefold.solver import SolverFactory
from timefold.solver.config import (
    Duration,
    ScoreDirectorFactoryConfig,
    SolverConfig,
    TerminationConfig,
)
from timefold.solver.domain import (
    PlanningEntityCollectionProperty,
    PlanningId,
    PlanningScore,
    PlanningVariable,
    ValueRangeProvider,
    planning_entity,
    planning_solution,
)
from timefold.solver.score import (
    ConstraintCollectors,
    ConstraintFactory,
    HardMediumSoftScore,
    constraint_provider,
)

from benchmarks.peers.common import Answer, Problem

UNLIMITED = 1 << 30


@dataclass
class Option:
    """One eligible seat of one pupil."""

    id: Annotated[int, PlanningId]
    seat: int
    seat_capacity: int
    company: int
    company_limit: int
    cost: int


@planning_entity
@dataclass
class Pupil:
    id: Annotated[int, PlanningId]
    priority: int
    options: Annotated[list[Option], ValueRangeProvider(id="options")] = field(default_factory=list)
    option: Annotated[
        Option | None,
        PlanningVariable(value_range_provider_refs=["options"], allows_unassigned=True),
    ] = None


@planning_solution
@dataclass
class Plan:
    pupils: Annotated[list[Pupil], PlanningEntityCollectionProperty]
    score: Annotated[HardMediumSoftScore | None, PlanningScore] = None


@constraint_provider
def placement_constraints(factory: ConstraintFactory) -> list:
    return [
        seat_capacity(factory),
        company_max_students(factory),
        unplaced_priority(factory),
        placement_cost(factory),
    ]


def seat_capacity(factory: ConstraintFactory):
    """At most `capacity` pupils per (placement, period)."""
    return (
        factory.for_each(Pupil)
        .group_by(
            lambda p: p.option.seat, lambda p: p.option.seat_capacity, ConstraintCollectors.count()
        )
        .filter(lambda seat, capacity, count: count > capacity)
        .penalize(HardMediumSoftScore.ONE_HARD, lambda seat, capacity, count: count - capacity)
        .as_constraint("seat capacity")
    )


def company_max_students(factory: ConstraintFactory):
    """At most `max_students` pupils per company."""
    return (
        factory.for_each(Pupil)
        .group_by(
            lambda p: p.option.company,
            lambda p: p.option.company_limit,
            ConstraintCollectors.count(),
        )
        .filter(lambda company, limit, count: count > limit)
        .penalize(HardMediumSoftScore.ONE_HARD, lambda company, limit, count: count - limit)
        .as_constraint("company max_students")
    )


def unplaced_priority(factory: ConstraintFactory):
    """Each unplaced pupil costs its priority (SPEC 3, objective 1)."""
    return (
        factory.for_each_including_unassigned(Pupil)
        .filter(lambda p: p.option is None)
        .penalize(HardMediumSoftScore.ONE_MEDIUM, lambda p: p.priority)
        .as_constraint("unplaced priority")
    )


def placement_cost(factory: ConstraintFactory):
    """Rank cost plus travel (SPEC 3, objective 2)."""
    return (
        factory.for_each(Pupil)
        .penalize(HardMediumSoftScore.ONE_SOFT, lambda p: p.option.cost)
        .as_constraint("cost")
    )


def solve(problem: Problem, time_limit: float) -> Answer:
    started = time.monotonic()
    pupils: dict[int, Pupil] = {}
    for i, (s, q, c, cost) in enumerate(
        zip(
            problem.student.tolist(),
            problem.seat.tolist(),
            problem.company.tolist(),
            problem.cost.tolist(),
            strict=True,
        )
    ):
        limit = int(problem.company_limit[c])
        pupil = pupils.setdefault(s, Pupil(s, int(problem.priority[s])))
        pupil.options.append(
            Option(i, q, int(problem.seat_capacity[q]), c, UNLIMITED if limit < 0 else limit, cost)
        )
    config = SolverConfig(
        solution_class=Plan,
        entity_class_list=[Pupil],
        score_director_factory_config=ScoreDirectorFactoryConfig(
            constraint_provider_function=placement_constraints
        ),
    )
    solver_factory = SolverFactory.create(config)
    left = max(1, int(time_limit - (time.monotonic() - started)))
    solver = solver_factory.build_solver(
        _override(TerminationConfig(spent_limit=Duration(seconds=left)))
    )
    best = solver.solve(Plan(list(pupils.values())))
    chosen = [p.option.id for p in best.pupils if p.option is not None]
    score = best.score
    return Answer(
        np.array(sorted(chosen), dtype=np.int64),
        False,
        len(problem.usable),
        f"score {score}",
    )


def _override(termination: TerminationConfig):
    from timefold.solver.config import SolverConfigOverride

    return SolverConfigOverride(termination_config=termination)
