"""The rows and goals of one benchmark run, and docs/benchmarks.md written from them."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from treemem import Measured


@dataclass
class Row:
    label: str
    corpus: str
    note: str = ""
    runs: list[Measured] = field(default_factory=list)
    unavailable: str = ""  # why the row could not be measured on this commit

    def add(self, m: Measured) -> None:
        self.runs.append(m)

    @property
    def wall(self) -> float:
        return statistics.median(m.wall for m in self.runs) if self.runs else float("nan")

    @property
    def cpu(self) -> float:
        return statistics.median(m.cpu for m in self.runs) if self.runs else float("nan")

    @property
    def tree_mb(self) -> float:
        return max((m.tree_mb for m in self.runs), default=float("nan"))

    @property
    def single_mb(self) -> float:
        return max((m.single_mb for m in self.runs), default=float("nan"))


@dataclass(frozen=True)
class Goal:
    goal: str
    measured: str
    met: bool | None  # None: not measured (a peer missing, a flag absent, a mode skipped)


def num(x: float, digits: int = 3) -> str:
    return f"{x:.{digits}f}" if x == x else "n/a"


def ratio_goal(goal: str, row: Row, base: Row, limit: float) -> Goal:
    """`row`'s median wall time over `base`'s, met when at most `limit`. The CPU ratio is shown
    beside it: on a shared machine it moves less with the load than wall time does."""
    if row.unavailable or base.unavailable or not row.runs or not base.runs:
        why = row.unavailable or base.unavailable or "not run"
        return Goal(goal, why, None)
    r = row.wall / base.wall
    cpu = f"{row.cpu / base.cpu:.2f}x" if base.cpu > 0 else "n/a"
    return Goal(goal, f"{r:.2f}x ({num(row.wall)} s vs {num(base.wall)} s; CPU {cpu})", r <= limit)


def table(rows: list[Row]) -> list[str]:
    lines = ["| scenario | corpus | runs | median wall s | median CPU s | peak tree MB | largest process MB | note |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if r.unavailable:
            lines.append(f"| {r.label} | {r.corpus} | 0 | n/a | n/a | n/a | n/a | {r.unavailable} |")
            continue
        lines.append(f"| {r.label} | {r.corpus} | {len(r.runs)} | {num(r.wall)} | {num(r.cpu, 2)} | "
                     f"{num(r.tree_mb, 0)} | {num(r.single_mb, 0)} | {r.note} |")
    return lines


def goals_table(goals: list[Goal]) -> list[str]:
    lines = ["| goal | measured | met |", "|---|---|---|"]
    for g in goals:
        mark = "yes" if g.met else ("no" if g.met is False else "not measured")
        lines.append(f"| {g.goal} | {g.measured} | {mark} |")
    return lines


def document(header: list[str], rows: list[Row], goals: list[Goal], extra: list[str], notes: list[str]) -> str:
    met = sum(1 for g in goals if g.met)
    missed = sum(1 for g in goals if g.met is False)
    lines = ["# Benchmarks", "", *header, "", "## Goals (issue 17)", "",
             f"{met} met, {missed} not met, {len(goals) - met - missed} not measured.", "",
             *goals_table(goals), "", "## Every figure", "", *table(rows)]
    if extra:
        lines += ["", *extra]
    if notes:
        lines += ["", "## Notes", "", *[f"- {n}" for n in notes]]
    return "\n".join(lines) + "\n"
