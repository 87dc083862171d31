"""AHP pairwise comparisons: weights, Saaty's consistency ratio, and the worst judgement.

Weights are the principal eigenvector of the reciprocal comparison matrix,
computed here with numpy (three lines), not by pymcdm's
:class:`pymcdm.weights.subjective.AHP` (MIT): importing pymcdm imports matplotlib's
pyplot (0.4 s CPU on the idle 2-core machine, 1.6 s under load, measured with
``-X importtime`` in ``procurement validate``, which probes the AHP file), and its
check refuses entries off Saaty's 1–9 grid (e.g. 2.5). ``tests/test_ahp.py`` compares
the weights with pymcdm's and with a published matrix. The
consistency ratio is Saaty's: CI = (λ_max − n)/(n − 1), CR = CI/RI with
Saaty's random index (RI = 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49 for
n = 3…10; Saaty 1980, *The Analytic Hierarchy Process*). pymcdm's own
``get_cr`` uses the Tummala & Ling (1998) index instead, so CR is computed
here. A matrix with CR > 0.10 is flagged together with its most inconsistent
judgement: the entry a_ij that differs most (in log ratio) from w_i/w_j, the
ratio the weights imply.

The comparison file (``data/<case>/ahp-<decision>.yaml``)::

    decision: contract-strategy
    comparisons:
      - node: top                 # the top-level groups of the value tree
        items: [legal-market, cost-time, benefit, organisation]
        matrix:
          - [1,   2,   1,   3]
          - [1/2, 1,   1/2, 2]
          - [1,   2,   1,   3]
          - [1/3, 1/2, 1/3, 1]
      - node: legal-market        # the criteria of one group
        items: [legal-robustness, competition, vendor-exit]
        matrix: [[1, 3, 3], [1/3, 1, 1], [1/3, 1, 1]]

``node`` is ``top`` (the groups without a parent), a group id (its
sub-groups and criteria), or ``criteria`` (all criteria at once, a flat
comparison). Entries are numbers or fractions written ``1/3``. Global weights
are the local weights multiplied down the tree; a group with a single member
needs no comparison.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path

# Saaty (1980) random consistency index for n = 1..15
SAATY_RI = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49,
            11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59}
CR_LIMIT = 0.10


@dataclass
class AHPResult:
    weights: pd.Series
    lambda_max: float
    ci: float
    ri: float
    cr: float
    worst: tuple[str, str, float, float] | None  # (row item, column item, given a_ij, implied w_i/w_j)

    @property
    def consistent(self) -> bool:
        return self.cr <= CR_LIMIT

    def describe(self) -> str:
        text = f"CR = {self.cr:.3f}"
        if not self.consistent and self.worst:
            i, j, a, implied = self.worst
            text += (f" > {CR_LIMIT:.2f}: the most inconsistent judgement is {i} vs {j} = {_fmt(a)}; "
                     f"the other judgements imply about {_fmt(implied)}")
        return text


def _fmt(x: float) -> str:
    if x >= 1:
        return f"{x:.3g}"
    return f"1/{1 / x:.3g}"


#: The largest ratio a comparison may state (Saaty's scale stops at 9; beyond this the weights are meaningless).
MAX_RATIO = 1000.0


def _parse(entry, problems: ProblemList, file: str, where: str) -> float | None:
    if isinstance(entry, bool):
        entry = None
    if isinstance(entry, (int, float)):
        v = float(entry)
    elif isinstance(entry, str):
        try:
            v = float(Fraction(entry.strip()))
        except OverflowError:  # '1e999': a number, but beyond any float
            v = math.inf
        except (ValueError, ZeroDivisionError):
            problems.add(file, where, f"'{entry}' is not a number", "write a number or a fraction such as 1/3")
            return None
    else:
        problems.add(file, where, f"'{entry}' is not a number", "write a number or a fraction such as 1/3")
        return None
    if not v > 0:
        problems.add(file, where, f"{v:g} is not positive", "Saaty's scale runs from 1/9 to 9")
        return None
    if not 1 / MAX_RATIO <= v <= MAX_RATIO:  # inf, 1e308: the eigenvector would be nan
        problems.add(file, where, f"{v:g} is not a comparison between 1/{MAX_RATIO:g} and {MAX_RATIO:g}",
                     "Saaty's scale runs from 1/9 to 9")
        return None
    return v


def check_matrix(matrix, items: list[str], file: str = "", key: str = "matrix", tol: float = 0.01) -> np.ndarray:
    """A validated reciprocal matrix, or InputError naming the file, key and cell."""
    problems = ProblemList()
    n = len(items)
    if not isinstance(matrix, (list, tuple, np.ndarray)) or not len(matrix):
        raise InputError(Problem(file, f"key '{key}'", "must be a list of rows", f"give {n} rows of {n} numbers"))
    rows = list(matrix)
    if len(rows) != n or any(not isinstance(r, (list, tuple, np.ndarray)) or len(r) != n for r in rows):
        lengths = {str(len(r)) if isinstance(r, (list, tuple, np.ndarray)) else "1" for r in rows}
        shape = f"{len(rows)} rows of " + "/".join(sorted(lengths))
        raise InputError(Problem(file, f"key '{key}'", f"is not square: {shape} entries for {n} items",
                                 f"give {n} rows of {n} numbers, one row and column per item in 'items'"))
    a = np.full((n, n), np.nan)
    for i, row in enumerate(rows):
        for j, e in enumerate(row):
            v = _parse(e, problems, file, f"key '{key}', row {i + 1} ({items[i]}), column {j + 1} ({items[j]})")
            if v is not None:
                a[i, j] = v
    problems.raise_if_any()
    for i in range(n):
        if abs(a[i, i] - 1) > tol:
            problems.add(file, f"key '{key}', row {i + 1} ({items[i]})", f"diagonal entry is {a[i, i]:g}",
                         "an item compared with itself is 1")
    for i in range(n):
        for j in range(i + 1, n):
            if abs(a[i, j] * a[j, i] - 1) > tol:
                problems.add(file, f"key '{key}', row {j + 1} ({items[j]}), column {i + 1} ({items[i]})",
                             f"is {_fmt(a[j, i])} but row {i + 1}, column {j + 1} is {_fmt(a[i, j])}: "
                             "the matrix is not reciprocal",
                             f"write {_fmt(1 / a[i, j])} (a_ji = 1/a_ij)")
    problems.raise_if_any()
    return a


def ahp(matrix, items: list[str], file: str = "", key: str = "matrix") -> AHPResult:
    """Weights and consistency of one pairwise comparison matrix (Saaty's 1–9 scale)."""
    a = check_matrix(matrix, items, file, key)
    n = len(items)
    w = _eigenvector(a)
    lam = float(np.max(np.linalg.eigvals(a).real)) if n > 1 else 1.0
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    ri = SAATY_RI.get(n, 1.59)
    ci = max(ci, 0.0)  # rounding can make λmax a hair below n for a consistent matrix
    cr = ci / ri if ri > 0 else 0.0
    worst = None
    if n > 2:
        implied = w[:, None] / w[None, :]
        err = np.abs(np.log(a / implied))
        np.fill_diagonal(err, -1)
        i, j = np.unravel_index(np.argmax(err), err.shape)
        if a[i, j] < 1:  # report the judgement the way it is usually read (≥ 1)
            i, j = j, i
        worst = (items[i], items[j], float(a[i, j]), float(implied[i, j]))
    return AHPResult(pd.Series(w, index=items), lam, ci, ri, cr, worst)


def _eigenvector(a: np.ndarray) -> np.ndarray:
    """Principal eigenvector (the eigenvalue with the largest real part), normalised to sum 1."""
    vals, vecs = np.linalg.eig(a)
    v = np.abs(vecs[:, np.argmax(vals.real)].real)
    return v / v.sum()


@dataclass
class AHPWeights:
    weights: pd.Series  # global criterion weights
    nodes: dict[str, AHPResult]  # per comparison node

    @property
    def flagged(self) -> dict[str, AHPResult]:
        return {k: r for k, r in self.nodes.items() if not r.consistent}


def _comparisons(path: Path, data, decision) -> list:
    """The file's comparisons after checking its top-level keys, or InputError."""
    file = display_path(path)
    if not isinstance(data, dict):
        raise InputError(Problem(file, "top level", "expected a mapping with 'decision' and 'comparisons'"))
    problems = ProblemList()
    unknown = [k for k in data if k not in ("decision", "description", "source", "comparisons")]
    for k in unknown:
        problems.add(path, f"key '{k}'", "unknown key", "valid keys: decision, description, source, comparisons")
    if data.get("decision") != decision.id:
        problems.add(path, "key 'decision'", f"is '{data.get('decision')}' but the decision is '{decision.id}'",
                     f"write decision: {decision.id}")
    comps = data.get("comparisons")
    if not isinstance(comps, list) or not comps:
        problems.add(path, "key 'comparisons'", "is missing or empty", "give at least one comparison with node, items and matrix")
        comps = []
    problems.raise_if_any()
    return comps


def _node_results(path: Path, comps: list, children: dict[str, list[str]]) -> dict[str, AHPResult]:
    """Each comparison's AHP result by node, or InputError listing every bad comparison."""
    file = display_path(path)
    problems = ProblemList()
    nodes: dict[str, AHPResult] = {}
    for k, comp in enumerate(comps):
        where = f"comparisons #{k + 1}"
        if not isinstance(comp, dict):
            problems.add(path, where, "expected a mapping with node, items and matrix")
            continue
        node = comp.get("node")
        items = comp.get("items")
        if node not in children:
            problems.add(path, f"{where}, key 'node'", f"unknown node '{node}'", did_you_mean(str(node), children))
            continue
        where = f"comparison '{node}'"
        if not isinstance(items, list) or sorted(map(str, items)) != sorted(children[node]):
            problems.add(path, f"{where}, key 'items'", f"must list exactly the members of '{node}'",
                         f"expected {', '.join(children[node])}")
            continue
        try:
            nodes[node] = ahp(comp.get("matrix"), [str(i) for i in items], file, f"comparisons.{node}.matrix")
        except InputError as e:
            problems.extend(e.problems)
    problems.raise_if_any()
    return nodes


def load_ahp(path: str | Path, decision) -> AHPWeights:
    """Read an AHP comparison file for `decision` and return global weights, or InputError."""
    from procurement.case.models import read_yaml

    path = Path(path)
    file = display_path(path)
    comps = _comparisons(path, read_yaml(path), decision)

    cs = decision.criteria_set
    groups = {g.id: g for g in cs.groups}
    crit_ids = cs.ids
    children: dict[str, list[str]] = {"top": [g.id for g in cs.groups if g.parent is None], "criteria": list(crit_ids)}
    for g in cs.groups:
        children[g.id] = [s.id for s in cs.groups if s.parent == g.id] + [c.id for c in cs.criteria if c.group == g.id]
    nodes = _node_results(path, comps, children)

    if "criteria" in nodes:
        w = nodes["criteria"].weights.loc[crit_ids]
        return AHPWeights(w / w.sum(), nodes)

    def local(parent: str, member: str) -> float:
        kids = children[parent]
        if len(kids) == 1:
            return 1.0
        if parent not in nodes:
            raise InputError(Problem(file, f"node '{parent}'", "has no comparison",
                                     f"add a comparison with node: {parent} and items: [{', '.join(kids)}]"))
        return float(nodes[parent].weights[member])

    out = {}
    for c in cs.criteria:
        w = local(c.group, c.id)
        g = c.group
        while g is not None:
            parent = groups[g].parent
            w *= local(parent if parent is not None else "top", g)
            g = parent
        out[c.id] = w
    s = pd.Series(out).loc[crit_ids]
    return AHPWeights(s / s.sum(), nodes)
