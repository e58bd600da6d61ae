"""Primary and secondary (complementary) small-cell suppression over publication cells.

A cell is (month, county, township or NULL for the county, measure, breakdown) with its true
value and whether it is printed. Primary suppression alone is breakable: a withheld cell is
the difference between a published margin and its published siblings (a township from the
county total, a channel from the township total, "collective" from the total and the
published complement …). So every margin equation ``parent = Σ children`` (over townships
and over each breakdown dimension) is checked and, while one leaves a protected cell pinned,
the smallest other non-zero published cell of that equation is withheld too, until nothing
changes:

* an equation holding a protected cell needs at least two unknown cells, and
* when its parent is published, the unknown children's sum S must leave every protected
  cell room to be as large as k − 1 (S − Σ lower bounds of the others ≥ k − 1), so that an
  attacker's interval for it always contains 1 and k − 1.

Then linear programs certify every protected cell against an attacker who knows every
published cell and every equation (the LP of tests/warehouse/attack.py).

``sticky`` cells stay withheld (a revision never un-suppresses what an attacker could
difference); ``frozen`` cells keep the status they were given (cells another model already
published or withheld): they are never chosen as complements.

Used by the dbt models int_suppressed_cells (indicator cells) and int_suppressed_text_cells
(text cells that share margins with them); unit-tested in tests/warehouse/test_suppression.py.
"""

from __future__ import annotations

from collections import defaultdict, deque

import numpy as np
import pandas as pd

KEY = ["month", "county_code", "township_code", "measure", "breakdown"]
FLAGS = ["is_primary", "is_suppressed", "is_uncertified"]  # what protect decides per cell


def parse_breakdown(breakdown: str) -> dict[str, str]:
    return dict(item.split("=", 1) for item in breakdown.split(";") if item)


def format_breakdown(items: dict[str, str]) -> str:
    return ";".join(f"{d}={items[d]}" for d in sorted(items))


def margin_equations(cells: pd.DataFrame) -> list[tuple[int, list[int]]]:
    """Every ``parent = Σ children`` relation among the cells, as (parent row, child rows).

    Rows are positions in ``cells``. A child set is all cells that differ from the parent by
    one extra coordinate (a township, or one value of one breakdown dimension)."""
    index = {}
    for pos, key in enumerate(zip(*(cells[c] for c in KEY), strict=True)):
        index[_norm(key)] = pos
    groups: dict[tuple, list[int]] = defaultdict(list)
    for key, pos in index.items():
        month, county, township, measure, breakdown = key
        if township is not None:
            groups[((month, county, None, measure, breakdown), "township")].append(pos)
        items = parse_breakdown(breakdown)
        for dim in items:
            rest = {d: v for d, v in items.items() if d != dim}
            groups[((month, county, township, measure, format_breakdown(rest)), dim)].append(pos)
    equations = []
    for (parent_key, _coord), children in groups.items():
        parent = index.get(parent_key)
        if parent is not None:
            equations.append((parent, np.array(sorted(children), dtype=np.int64)))
    equations.sort(key=lambda eq: (eq[0], int(eq[1][0])))
    return equations


def _norm(key: tuple) -> tuple:
    month, county, township, measure, breakdown = key
    if township is None or (isinstance(township, float) and np.isnan(township)):
        township = None
    return (month, county, township, measure, breakdown or "")


def protect(
    cells: pd.DataFrame,
    k: int,
    sticky: np.ndarray | None = None,
    certify: bool = True,
    frozen: np.ndarray | None = None,
) -> pd.DataFrame:
    """Flags for each cell: ``is_primary`` (1 ≤ value ≤ k−1), ``is_suppressed`` and
    ``is_uncertified``: a protected cell no withholding of choosable cells can make safe (the
    published figures that pin it are frozen, or it is held down by the ≥ 1 that withheld
    cells reveal); callers must not leave such a cell's figures printed.

    ``cells`` has the KEY columns, ``value`` and ``is_published``; ``sticky`` marks cells that
    must stay withheld (previous publication). Unpublished cells are unknown to an attacker by
    construction; they are protected when small but never chosen as complements."""
    cells = cells.reset_index(drop=True)
    value = cells["value"].to_numpy(dtype=np.int64)
    published = cells["is_published"].to_numpy(dtype=bool)
    primary = (value >= 1) & (value <= k - 1)
    unknown = primary | ~published
    if sticky is not None:
        unknown |= np.asarray(sticky, dtype=bool) & (value > 0)
    lower = np.where(published, 1, 0)  # a withheld published cell is known to be ≥ 1
    # cells whose status may still change: printed by this model, not frozen by another
    frozen = np.zeros(len(cells), dtype=bool) if frozen is None else np.asarray(frozen, bool)
    choosable = published & ~frozen
    # a frozen withheld cell was certified by another model in a system where it is unknown:
    # it must stay underivable here too (never the only unknown of an equation)
    guarded = frozen & unknown & published & (value > 0)
    rank = np.arange(len(cells))  # deterministic tie-break: row order (callers sort by KEY)
    equations = margin_equations(cells)
    by_cell: dict[int, list[int]] = defaultdict(list)
    for e, (parent, children) in enumerate(equations):
        for c in (parent, *children):
            by_cell[c].append(e)
    # worklist: re-check only the equations touching a newly withheld cell
    queue = deque(e for e, (p, ch) in enumerate(equations) if unknown[p] or unknown[ch].any())
    queued = set(queue)
    while queue:
        e = queue.popleft()
        queued.discard(e)
        parent, children = equations[e]
        members = [parent, *children]
        unknowns = [c for c in members if unknown[c]]
        if not any(primary[c] or guarded[c] for c in unknowns):
            continue
        if not _pinned(parent, children, unknowns, value, primary, unknown, lower, k):
            continue
        candidates = [c for c in members if not unknown[c] and choosable[c] and value[c] > 0]
        if not candidates:
            continue
        pick = min(candidates, key=lambda c: (value[c], rank[c]))
        unknown[pick] = True
        for other in by_cell[pick]:
            if other not in queued:
                queue.append(other)
                queued.add(other)
    uncertified = np.zeros(len(cells), dtype=bool)
    if certify:
        uncertified[_certify(equations, value, choosable, primary, unknown, lower, k)] = True
    out = cells.copy()
    out["is_primary"] = primary
    out["is_suppressed"] = unknown
    out["is_uncertified"] = uncertified
    return out


def _pinned(parent, children, unknowns, value, primary, unknown, lower, k) -> bool:
    """True when this equation alone narrows a protected cell below [1, k−1]."""
    if len(unknowns) < 2:
        return True
    if unknown[parent]:
        return False
    rest = int(value[parent]) - sum(int(value[c]) for c in children if not unknown[c])
    total_lower = sum(int(lower[c]) for c in unknowns)
    return any(primary[u] and rest - (total_lower - lower[u]) < k - 1 for u in unknowns)


def protect_by_month(
    cells: pd.DataFrame,
    k: int,
    sticky: np.ndarray | None = None,
    certify: bool = True,
    frozen: np.ndarray | None = None,
) -> pd.DataFrame:
    """``protect`` on each county × month × measure separately (equations never cross them)."""
    if cells.empty:
        return cells.assign(
            is_primary=pd.Series(dtype=bool),
            is_suppressed=pd.Series(dtype=bool),
            is_uncertified=pd.Series(dtype=bool),
        )
    cells = cells.reset_index(drop=True)
    if sticky is None:
        sticky = np.zeros(len(cells), dtype=bool)
    if frozen is None:
        frozen = np.zeros(len(cells), dtype=bool)
    parts = []
    for _, idx in cells.groupby(["month", "county_code", "measure"], sort=True).groups.items():
        rows = np.asarray(idx)
        parts.append(protect(cells.loc[idx], k, sticky[rows], certify, frozen[rows]))
    return pd.concat(parts, ignore_index=True)


def protect_changed(
    cells: pd.DataFrame,
    previous: pd.DataFrame | None,
    k: int,
    sticky: np.ndarray | None = None,
) -> pd.DataFrame:
    """``protect_by_month``, but a county × month × measure whose cells (keys, values,
    printed or not) are exactly those of the previous build keeps that build's flags.

    An incremental run rebuilds a few months so that late records land; most of their
    groups come back unchanged, and protecting them again would give the same flags (the
    previous pattern is a fixed point that was certified, and its withheld cells are sticky),
    at the cost of the linear programs. ``previous``: the stored rows of the rebuilt months
    (KEY columns, value, is_published, is_primary, is_suppressed, is_uncertified)."""
    if previous is None or previous.empty or cells.empty:
        return protect_by_month(cells, k, sticky)
    cells = cells.reset_index(drop=True)
    sticky = np.zeros(len(cells), dtype=bool) if sticky is None else np.asarray(sticky, bool)
    kept_rows, kept_flags = _unchanged_groups(cells, previous)
    in_same = np.zeros(len(cells), dtype=bool)
    in_same[kept_rows] = True
    changed = protect_by_month(cells[~in_same], k, sticky[~in_same])
    kept = cells.loc[kept_rows].reset_index(drop=True)
    for flag in FLAGS:
        kept[flag] = kept_flags[flag].to_numpy(dtype=bool)
    return pd.concat([changed, kept], ignore_index=True)


def _unchanged_groups(
    cells: pd.DataFrame, previous: pd.DataFrame
) -> tuple[np.ndarray, pd.DataFrame]:
    """Rows of ``cells`` in a county × month × measure whose cells (keys, values, printed or
    not) are exactly the previous build's, and those rows' previous flags (row order)."""

    def keyed(frame: pd.DataFrame, **columns) -> pd.DataFrame:
        keys = frame[KEY].astype(str).where(frame[KEY].notna(), "")
        return keys.assign(**columns)

    now = keyed(
        cells,
        _row=np.arange(len(cells)),
        _value=cells["value"].to_numpy(dtype="int64"),
        _printed=cells["is_published"].to_numpy(dtype=bool),
    )
    before = keyed(
        previous,
        _value_before=previous["value"].to_numpy(dtype="int64"),
        _printed_before=previous["is_published"].to_numpy(dtype=bool),
        **{flag: previous[flag].to_numpy(dtype=bool) for flag in FLAGS},
    )
    both = now.merge(before, on=KEY, how="outer", validate="one_to_one")
    # a cell only one build has, or with another value or printing, changes its group
    same_value = both["_value"].eq(both["_value_before"])
    same_cell = same_value & both["_printed"].eq(both["_printed_before"])
    group = [both[c] for c in ("month", "county_code", "measure")]
    same_group = same_cell.groupby(group).transform("all").to_numpy(dtype=bool)
    kept = both[same_group].sort_values("_row")
    return kept["_row"].to_numpy(dtype="int64"), kept[FLAGS].reset_index(drop=True)


def _certify(equations, value, choosable, primary, unknown, lower, k) -> list[int]:
    """Make every protected cell provably safe: an attacker who knows all published cells
    and every equation must find both 1 and k − 1 feasible for it (the LP of
    tests/warehouse/attack.py). When one is not, solve the smallest change of published
    cells that makes it feasible and withhold the cells that had to move; withholding more
    only enlarges every feasible set, so cells certified earlier stay safe. Returns the
    protected cells that could not be made safe."""
    from scipy import sparse

    if not equations or not primary.any():
        return []
    rows, cols, vals = [], [], []
    for e, (parent, children) in enumerate(equations):
        rows.append(e)
        cols.append(parent)
        vals.append(1.0)
        rows.extend([e] * len(children))
        cols.extend(children.tolist())
        vals.extend([-1.0] * len(children))
    matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(len(equations), len(value)))
    protected = np.flatnonzero(primary)
    pattern_floors = _pattern_floors(equations, value, unknown, lower)
    floors = {x: max(1, int(round(pattern_floors[x]))) for x in protected}
    # batch LPs certify most cells at once: rounds of points where as many protected cells as
    # possible reach k − 1, then rounds where as many as possible sit at their floor
    high_ok: dict[int, float] = {}
    low_ok: dict[int, float] = {}
    system = AttackerSystem(matrix, value, unknown, lower)
    for maximise, done in ((True, high_ok), (False, low_ok)):
        pending = protected
        # each round certifies the cells reaching their target and retries the rest (a round
        # is one LP, as a single cell's check is, so it pays while it certifies any cell)
        while len(pending):
            point = system.batch_point(pending, k, maximise)
            reached = [
                x
                for x, v in point.items()
                if (v >= k - 1 - 1e-6 if maximise else v <= floors[x] + 1e-6)
            ]
            done.update({x: point[x] for x in reached})
            pending = np.array([x for x in pending if x not in done], dtype=np.int64)
            if not reached or len(pending) == 0:
                break
    failed: list[int] = []
    for x in protected:
        checks = []
        if not low_ok.get(x, 1e18) <= floors[x] + 1e-6:
            checks.append(floors[x])
        if not high_ok.get(x, -1e18) >= k - 1 - 1e-6:
            checks.append(k - 1)
        for target in checks:
            if not system.feasible(x, target):
                fix = _cells_to_withhold(matrix, value, choosable, unknown, lower, x, target)
                if fix:
                    unknown[fix] = True
                    system = AttackerSystem(matrix, value, unknown, lower)
                    continue
                # no withholding lowers a floor that zeros and withheld cells impose through
                # chains of equations; that floor is no exposure (tests/warehouse/attack.py)
                if target < k - 1:
                    floor = propagated_floor(x, equations, value, unknown, lower)
                    if floor > target and system.feasible(x, floor):
                        continue
                failed.append(int(x))
    return failed


class AttackerSystem:
    """The attacker's equations over the withheld cells (every other cell at its published
    value) as one HiGHS model that each question re-solves with changed bounds and costs,
    warm-started: building a fresh LP through ``scipy.optimize.linprog`` for each of the
    thousands of questions cost three to four times more than solving it."""

    def __init__(self, matrix, value, unknown, lower) -> None:
        import highspy

        free = np.flatnonzero(unknown)
        a_free = matrix[:, free]
        rhs = -(matrix[:, ~unknown] @ value[~unknown].astype(float))
        used = np.flatnonzero(np.asarray(abs(a_free).sum(axis=1)).ravel() > 0)
        self.position = {int(c): i for i, c in enumerate(free)}
        self.lower = np.asarray(lower[free], dtype=float)
        self.empty = len(used) == 0  # no equation binds any withheld cell
        self._inf = highspy.kHighsInf
        self._optimal = highspy.HighsModelStatus.kOptimal
        self.highs = _highs(a_free[used], rhs[used], self.lower, np.full(len(free), self._inf))

    def feasible(self, x: int, target: float) -> bool:
        """Whether the published figures allow cell ``x`` (withheld) to equal ``target``."""
        if self.empty:
            return True
        i = self.position[int(x)]
        self.highs.changeColBounds(i, float(target), float(target))
        try:
            self.highs.run()
            return self.highs.getModelStatus() == self._optimal
        finally:
            self.highs.changeColBounds(i, float(self.lower[i]), self._inf)

    def batch_point(self, cells, k: int, maximise: bool) -> dict[int, float]:
        """One feasible point pushing every cell of ``cells`` up to k − 1 (or down to its
        lower bound), each capped at k − 1; the cells' values there ({} if infeasible)."""
        if self.empty or not len(cells):
            return {}
        idx = np.array([self.position[int(c)] for c in cells], dtype=np.int32)
        n = len(idx)
        highs = self.highs
        highs.changeColsBounds(n, idx, self.lower[idx], np.full(n, float(k - 1)))
        highs.changeColsCost(n, idx, np.full(n, -1.0 if maximise else 1.0))
        try:
            highs.run()
            if highs.getModelStatus() != self._optimal:
                return {}
            solution = np.asarray(highs.getSolution().col_value)
            return {int(c): float(solution[i]) for c, i in zip(cells, idx, strict=True)}
        finally:
            highs.changeColsBounds(n, idx, self.lower[idx], np.full(n, self._inf))
            highs.changeColsCost(n, idx, np.zeros(n))


def _cells_to_withhold(matrix, value, choosable, unknown, lower, x, target) -> list[int]:
    """Published cells that must move (least total change) for cell x to reach target."""
    import highspy
    from scipy import sparse

    free = np.flatnonzero(unknown)
    movable = np.flatnonzero(~unknown & choosable & (value > 0))
    fixed = np.flatnonzero(~unknown & ~(choosable & (value > 0)))
    a_free = matrix[:, free]
    a_move = matrix[:, movable]
    a_eq = sparse.hstack([a_free, a_move, -a_move])
    b_eq = -(matrix[:, movable] @ value[movable].astype(float)) - (
        matrix[:, fixed] @ value[fixed].astype(float)
    )
    inf = highspy.kHighsInf
    col_lower = np.concatenate(
        [lower[free].astype(float), np.zeros(2 * len(movable))]  # increase, decrease
    )
    col_upper = np.concatenate(
        [np.full(len(free) + len(movable), inf), value[movable] - 1.0]  # decrease: stay ≥ 1
    )
    pos = int(np.searchsorted(free, x))
    col_lower[pos] = col_upper[pos] = float(target)
    cost = np.concatenate([np.zeros(len(free)), np.ones(2 * len(movable))])
    highs = _highs(a_eq, b_eq, col_lower, col_upper, cost)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return []
    solution = np.asarray(highs.getSolution().col_value)
    shift = solution[len(free) : len(free) + len(movable)] + solution[len(free) + len(movable) :]
    return movable[shift > 1e-7].tolist()


def _highs(a, rhs, col_lower, col_upper, cost=None):
    """A quiet HiGHS instance holding the LP  a·x = rhs, col_lower ≤ x ≤ col_upper, minimise
    cost·x (HiGHS directly: scipy's ``linprog`` wraps the same solver but its import alone
    cost ~0.5 s of every dbt run that suppresses)."""
    import highspy

    a = a.tocsc()
    n_cols = a.shape[1]
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_cols, a.shape[0]
    lp.col_cost_ = np.zeros(n_cols) if cost is None else np.asarray(cost, dtype=float)
    lp.col_lower_ = np.asarray(col_lower, dtype=float)
    lp.col_upper_ = np.asarray(col_upper, dtype=float)
    lp.row_lower_ = lp.row_upper_ = np.asarray(rhs, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data.astype(float)
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    if a.shape[0]:
        highs.passModel(lp)
    return highs


def _pattern_floors(equations, value, unknown, lower, seed: int | None = None) -> np.ndarray:
    """For every cell, the least value the suppression pattern reveals: withheld cells are
    ≥ 1 (zeros are printed), so a withheld parent is at least the sum of its children's
    floors, and a withheld parent's only unknown child is at least the parent's floor less its
    known siblings — carried through every equation to a fixed point. Known cells are their
    value; unknown ones start at their lower bound (``seed``, the cell in question, at 1)."""
    floors = np.where(unknown, lower, value).astype(float)
    if seed is not None:
        floors[seed] = max(floors[seed], 1.0)
    for _ in range(len(equations) + 1):
        changed = False
        for parent, children in equations:
            if not unknown[parent]:
                continue
            free = children[unknown[children]]
            fixed = float(value[children[~unknown[children]]].sum())
            total = floors[free].sum() + fixed
            if total > floors[parent] + 1e-9:
                floors[parent], changed = total, True
            if len(free) == 1 and floors[parent] - fixed > floors[free[0]] + 1e-9:
                floors[free[0]], changed = floors[parent] - fixed, True
        if not changed:
            break
    return floors


def propagated_floor(x: int, equations, value, unknown, lower) -> int:
    """The floor of cell ``x`` alone, assuming it non-zero (what tests/warehouse/attack.py
    accepts as unavoidable)."""
    return int(round(max(1.0, _pattern_floors(equations, value, unknown, lower, seed=x)[x])))
