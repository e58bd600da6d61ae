"""An attacker on the published tables: how tightly can a withheld cell be pinned?

The attacker knows every published number and every linear relation between them (margins
over townships, over each breakdown, complements such as "not collective" = total −
collective, the same figure repeated in two tables). Each withheld cell is an unknown ≥ 1
(it was withheld, so it is not 0), each never-printed complement an unknown ≥ 0. For every
cell that was a small cell (1 … k−1) the attacker solves min and max of it with ``linprog``;
the cell is safe when that interval contains both 1 and k − 1 — except that a withheld parent
of m withheld non-zero cells is at least m whatever is withheld (zeros are published), so
its lower end need only reach max(1, m).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog


@dataclass(frozen=True)
class Exposure:
    cell: object
    true_value: int
    low: float
    high: float


def interval(
    target: int,
    equations: list[tuple[int, list[int]]],
    known: dict[int, float],
    lower: dict[int, float],
) -> tuple[float, float]:
    """Min and max of cell ``target`` given ``parent = Σ children`` equations, the ``known``
    values, and lower bounds of the unknowns (no upper bounds: the largest possible)."""
    unknowns = sorted({c for p, ch in equations for c in (p, *ch) if c not in known} | {target})
    col = {c: i for i, c in enumerate(unknowns)}
    rows, rhs = [], []
    for parent, children in equations:
        row = np.zeros(len(unknowns))
        const = 0.0
        for c, sign in [(parent, 1.0)] + [(c, -1.0) for c in children]:
            if c in known:
                const -= sign * known[c]
            else:
                row[col[c]] += sign
        if row.any():
            rows.append(row)
            rhs.append(const)
    bounds = [(lower.get(c, 0.0), None) for c in unknowns]
    objective = np.zeros(len(unknowns))
    objective[col[target]] = 1.0
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs) if rows else None
    low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    if low.status == 2:
        raise ValueError("published figures are inconsistent (infeasible system)")
    lo = low.fun if low.status == 0 else lower.get(target, 0.0)
    hi = -high.fun if high.status == 0 else float("inf")
    return lo, hi


def attack(
    values: np.ndarray,
    published: np.ndarray,
    suppressed: np.ndarray,
    equations: list[tuple[int, list[int]]],
    k: int,
    keys=None,
) -> list[Exposure]:
    """Every small cell (1 … k−1) whose feasible interval misses 1 or k − 1."""
    keys = keys if keys is not None else list(range(len(values)))
    known = {i: float(values[i]) for i in range(len(values)) if published[i] and not suppressed[i]}
    lower = {i: (1.0 if published[i] else 0.0) for i in range(len(values)) if i not in known}
    touching = defaultdict(list)
    for e, (p, ch) in enumerate(equations):
        for c in (p, *ch):
            touching[c].append(e)
    exposures = []
    for i in range(len(values)):
        if i in known or not (1 <= values[i] <= k - 1):
            continue
        component = _component(i, equations, touching, known)
        lo, hi = interval(i, [equations[e] for e in component], known, lower)
        if lo > floor(i, equations, known, lower) + 1e-6 or hi < k - 1 - 1e-6:
            exposures.append(Exposure(keys[i], int(values[i]), lo, hi))
    return exposures


def floor(i: int, equations, known, lower) -> float:
    """What the attacker learns from zeros being published: a withheld parent of m withheld
    cells, each ≥ 1, is ≥ m, and that floor carries over exactly to a cell equal to it (a
    withheld parent's only unknown child: "not collective" when "collective" is a published
    0; documents when every record has one). No pattern can hide that, so the lower
    protection asks only that the interval reach this floor (max(1, m); exactly 1 for a
    single withheld child). Only zeros and the 0/1 lower bounds enter: for a small cell every
    published figure in these sums is 0, so the floor is the suppression pattern's alone."""
    floors = {c: lower.get(c, 0.0) for p, ch in equations for c in (p, *ch) if c not in known}
    floors[i] = max(floors.get(i, 0.0), 1.0)
    for _ in range(len(equations) + 1):  # propagate to a fixed point
        changed = False
        for parent, children in equations:
            unknown = [c for c in children if c not in known]
            if parent not in known:
                total = sum(floors[c] for c in unknown) + sum(
                    known[c] for c in children if c in known
                )
                if total > floors[parent] + 1e-9:
                    floors[parent], changed = total, True
                if len(unknown) == 1:
                    rest = floors[parent] - sum(known[c] for c in children if c in known)
                    if rest > floors[unknown[0]] + 1e-9:
                        floors[unknown[0]], changed = rest, True
        if not changed:
            break
    return max(1.0, floors[i])


def _component(start: int, equations, touching, known) -> list[int]:
    """Equations linked to ``start`` through unknown cells (the rest cannot move it)."""
    seen_cells, seen_eq, stack = {start}, set(), [start]
    while stack:
        c = stack.pop()
        for e in touching[c]:
            if e in seen_eq:
                continue
            seen_eq.add(e)
            p, ch = equations[e]
            for d in (p, *ch):
                if d not in known and d not in seen_cells:
                    seen_cells.add(d)
                    stack.append(d)
    return sorted(seen_eq)
