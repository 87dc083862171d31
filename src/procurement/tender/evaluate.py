"""The evaluation of opened tenders: consensus scores, points per criterion, weighted totals, rank, margins, ties,
and what each losing tenderer would need to win.

:func:`totals` is the one place tenders become weighted totals; the paradox check, the what-it-takes search, the
weight sweep and the pre-opening simulation all call it, with tenderers on the last axis and any leading axes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from procurement.case.errors import InputError, Problem
from procurement.tender.competition import Competition
from procurement.tender.models import EvaluationModel
from procurement.tender.pricing import price_points, quality_points

_BISECT_STEPS = 200


def criterion_points(model: EvaluationModel, prices: np.ndarray, quality: np.ndarray,
                     present: np.ndarray | None = None) -> np.ndarray:
    """Points per criterion, shape ``prices.shape + (criteria,)`` in the model's criterion order.

    ``prices``: (..., n), ``inf`` or ``present`` False for an absent tenderer; ``quality``: (..., n, Q) consensus
    scores in the order of ``model.quality``.
    """
    p = np.asarray(prices, dtype=float)
    if present is not None:
        p = np.where(present, p, np.inf)
    m = model.max_points
    cols = []
    qi = 0
    for c in model.criteria:
        if c.kind == "price":
            assert c.price_model is not None
            cols.append(price_points(c.price_model, p, m))
        else:
            assert c.scale is not None
            cols.append(quality_points(c.scale, quality[..., qi], m, None if present is None else present))
            qi += 1
    return np.stack(cols, axis=-1)


def totals(model: EvaluationModel, prices: np.ndarray, quality: np.ndarray, present: np.ndarray | None = None,
           weights: np.ndarray | None = None) -> np.ndarray:
    """Weighted totals (..., n); absent tenderers get ``-inf``."""
    w = np.array(list(model.weights().values())) if weights is None else np.asarray(weights, dtype=float)
    pts = criterion_points(model, prices, quality, present)
    tot = pts @ w
    if present is not None:
        tot = np.where(present, tot, -np.inf)
    return tot


def ranks(total: np.ndarray, tolerance: float) -> np.ndarray:
    """Rank 1 = best; totals within ``tolerance`` of each other share the better rank."""
    t = np.asarray(total, dtype=float)
    return 1 + (t[None, :] > t[:, None] + tolerance).sum(axis=1)


@dataclass
class Evaluation:
    """The result of evaluating one competition."""

    competition: Competition
    consensus: pd.DataFrame  # tenderer, criterion, score, low, high, spread, evaluators, disagree
    points: pd.DataFrame  # index tenderer, one column per criterion
    table: pd.DataFrame  # tenderer, evaluated_price, points per criterion, total, rank, margin, tie
    winner: str | None
    ties: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _quality: np.ndarray | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def model(self) -> EvaluationModel:
        return self.competition.model

    @property
    def tenderers(self) -> list[str]:
        return list(self.points.index)

    def prices(self) -> np.ndarray:
        assert self.competition.tenders is not None
        return self.competition.tenders.loc[self.tenderers, "price"].to_numpy(dtype=float)

    def quality_scores(self) -> np.ndarray:
        """Consensus scores (n, Q) in the model's quality order (a copy: callers may change it)."""
        if self._quality is None:
            q = [c.id for c in self.model.quality]
            wide = self.consensus.pivot(index="tenderer", columns="criterion", values="score") if q else None
            self._quality = (wide.loc[self.tenderers, q].to_numpy(dtype=float) if wide is not None
                             else np.zeros((len(self.tenderers), 0)))
        return self._quality.copy()

    def disagreements(self) -> pd.DataFrame:
        return self.consensus[self.consensus["disagree"]]

    def justifications(self) -> pd.DataFrame:
        """Every evaluator's score and justification (tenderer, criterion, evaluator, score, justification), in the
        order of tenders.csv and the model's criteria, then by evaluator."""
        cols = ["tenderer", "criterion", "evaluator", "score", "justification"]
        ev = self.competition.evaluations
        if ev is None:
            return pd.DataFrame(columns=cols)
        t_order = {t: i for i, t in enumerate(self.tenderers)}
        c_order = {c.id: i for i, c in enumerate(self.model.quality)}
        out = ev[cols].assign(_t=ev["tenderer"].map(t_order), _c=ev["criterion"].map(c_order))
        return out.sort_values(["_t", "_c", "evaluator"]).drop(columns=["_t", "_c"]).reset_index(drop=True)

    def to_dict(self) -> dict:
        return {
            "competition": self.model.id,
            "winner": self.winner,
            "table": self.table.to_dict("records"),
            "ties": self.ties,
            "disagreements": self.disagreements().to_dict("records"),
            "warnings": self.warnings,
        }


def consensus(comp: Competition) -> pd.DataFrame:
    """One score per tenderer and quality criterion (mean or median of the evaluators), with the spread."""
    cols = ["tenderer", "criterion", "score", "low", "high", "spread", "evaluators", "disagree"]
    ev = comp.evaluations
    if ev is None or ev.empty:
        return pd.DataFrame(columns=cols)
    how = comp.model.consensus
    g = ev.groupby(["tenderer", "criterion"], sort=False)["score"]
    out = g.agg(score=how, low="min", high="max", evaluators="count").reset_index()
    out["spread"] = out["high"] - out["low"]
    out["disagree"] = out["spread"] > comp.model.disagreement
    # canonical order (tenders.csv, then the model's criteria), whatever the order of the rows in evaluations.csv
    t_order = {t: i for i, t in enumerate(comp.tenders.index)} if comp.tenders is not None else {}
    c_order = {c.id: i for i, c in enumerate(comp.model.quality)}
    out = out.sort_values(["tenderer", "criterion"], key=lambda s: s.map(t_order if s.name == "tenderer" else c_order))
    return out[cols].reset_index(drop=True)


def evaluate(comp: Competition) -> Evaluation:
    """Points, totals, rank, margins and ties of an opened competition."""
    if comp.tenders is None:
        raise InputError(Problem(str(comp.folder / "tenders.csv"), "", "no tenders yet (the competition is not opened)",
                                 "before opening, run the simulation: procurement tender simulate"))
    model = comp.model
    if comp.evaluations is None and model.quality:
        raise InputError(Problem(str(comp.folder / "evaluations.csv"), "", "file not found",
                                 "the quality criteria need scores: evaluator,tenderer,criterion,score,justification "
                                 "(or collect the evaluators' forms: procurement tender collect)"))
    tenderers = list(comp.tenders.index)
    cons = consensus(comp)
    prices = comp.tenders["price"].to_numpy(dtype=float)
    q_ids = [c.id for c in model.quality]
    quality = (cons.pivot(index="tenderer", columns="criterion", values="score").loc[tenderers, q_ids].to_numpy(dtype=float)
               if q_ids else np.zeros((len(tenderers), 0)))
    pts = criterion_points(model, prices, quality)
    points = pd.DataFrame(pts, index=pd.Index(tenderers, name="tenderer"), columns=[c.id for c in model.criteria])
    total = pts @ np.array(list(model.weights().values()))
    table, winner, ties = _rank_table(model, tenderers, prices, points, total)
    warnings = [f"evaluators disagree on '{r.tenderer}' / '{r.criterion}': scores {r.low:g} to {r.high:g} "
                f"(spread {r.spread:g} > {model.disagreement:g})" for r in cons[cons["disagree"]].itertuples()]
    if comp.evaluations is not None:
        empty = comp.evaluations[comp.evaluations["justification"].str.strip() == ""]
        warnings += [f"no justification: evaluator '{r.evaluator}', '{r.tenderer}' / '{r.criterion}' (row {r.row})"
                     for r in empty.itertuples()]
    return Evaluation(comp, cons, points, table, winner, ties, warnings)


def _rank_table(model: EvaluationModel, tenderers: list[str], prices: np.ndarray, points: pd.DataFrame,
                total: np.ndarray) -> tuple[pd.DataFrame, str | None, list[str]]:
    rank = ranks(total, model.tie_tolerance)
    table = points.copy()
    table.insert(0, "evaluated_price", prices)
    table["total"] = total
    table["rank"] = rank
    order = np.lexsort((np.array(tenderers), -total))
    nxt = np.full(len(total), np.nan)
    for a, b in zip(order, order[1:], strict=False):
        nxt[a] = total[a] - total[b]
    table["margin"] = nxt
    table["tie"] = [int((rank == r).sum()) > 1 for r in rank]
    table = table.iloc[order].reset_index()
    ties, winner = _ties(model, table)
    return table, winner, ties


def _ties(model: EvaluationModel, table: pd.DataFrame) -> tuple[list[str], str | None]:
    notes: list[str] = []
    first = table[table["rank"] == 1]
    winner: str | None = str(first["tenderer"].iloc[0])
    for r in sorted(set(table.loc[table["tie"], "rank"])):
        who = table.loc[table["rank"] == r, "tenderer"].tolist()
        notes.append(f"tie at rank {r}: {', '.join(who)} (totals within {model.tie_tolerance:g})")
    if len(first) > 1:
        if model.tie_break == "price":
            winner = str(first.sort_values("evaluated_price")["tenderer"].iloc[0])
            notes.append(f"tie for first broken by the model's rule (lowest price): {winner}")
        elif model.tie_break == "quality":
            q = first[[c.id for c in model.quality]] @ np.array([model.weights()[c.id] for c in model.quality])
            winner = str(first.loc[q.idxmax(), "tenderer"])
            notes.append(f"tie for first broken by the model's rule (highest weighted quality): {winner}")
        else:
            winner = None
            notes.append("tie for first and the model states no tie-break rule: the authority must decide "
                         "(for example by drawing lots, announced in the tender documents)")
    return notes, winner


# --- what would it take -------------------------------------------------------------------------------------------


def _candidates(cost: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Tenderers among whom the best total of the others is found, whichever one tenderer is left out.

    A tenderer's total is ``value`` plus a term that never rises with ``cost`` (its price points, or minus its
    score on the criterion being changed), the same rule for all; so a tenderer with a higher cost and no higher
    value than another never has the higher total. The frontier F of the tenderers no other one dominates so holds
    the best total of all, and F with the frontier of the rest (a second layer) holds the best total of all but any
    one: whoever is left out of F, what it dominated is dominated by the second layer too."""
    def frontier(idx: np.ndarray) -> np.ndarray:
        order = idx[np.lexsort((-value[idx], cost[idx]))]  # cheapest first, the higher value first among equals
        before = np.concatenate([[-np.inf], np.maximum.accumulate(value[order])[:-1]])
        return order[value[order] > before]

    everyone = np.arange(len(cost))
    first = frontier(everyone)
    rest = np.setdiff1d(everyone, first)
    return np.union1d(first, frontier(rest) if len(rest) else rest)


@dataclass
class _Field:
    """The evaluated tenders and the few other tenderers whose totals can be the best while one tenderer's price or
    one score changes: each trial then costs the size of that set, not of the whole field."""

    model: EvaluationModel
    prices: np.ndarray  # (n,)
    quality: np.ndarray  # (n, Q)
    points: np.ndarray  # (n, C) at the evaluated prices and scores
    weights: np.ndarray  # (C,)

    def holders(self, skip: int | None = None) -> np.ndarray:
        """Who sets what other tenders' points depend on: the lowest price and the best score on every relative
        quality scale (but ``skip``, the criterion being changed, whose best is among the candidates)."""
        out = [int(np.argmin(self.prices))]
        for k, c in enumerate(self.model.quality):
            if k != skip and c.scale is not None and c.scale.scoring == "relative":
                out.append(int(np.argmax(self.quality[:, k])))
        return np.array(out, dtype=int)

    def leads(self, others: np.ndarray, who: np.ndarray, prices: np.ndarray, quality: np.ndarray) -> np.ndarray:
        """For each row r: the total of tenderer ``who[r]`` at price ``prices[r]`` and scores ``quality[r]`` minus the
        best total of ``others`` but itself (its own entry there is absent), everyone else as evaluated."""
        a, u = len(who), len(others)
        p = np.empty((a, u + 1))
        p[:, :u] = self.prices[others]
        p[:, u] = prices
        q = np.empty((a, u + 1, self.quality.shape[1]))
        q[:, :u] = self.quality[others]
        q[:, u] = quality
        present = np.ones((a, u + 1), dtype=bool)
        present[:, :u] = others[None, :] != who[:, None]
        t = totals(self.model, p, q, present)
        return t[:, u] - np.max(t[:, :u], axis=1)


def _field(ev: Evaluation) -> _Field:
    prices, quality = ev.prices(), ev.quality_scores()
    return _Field(ev.model, prices, quality, criterion_points(ev.model, prices, quality),
                  np.array(list(ev.model.weights().values())))


def _bisect(lead, lo: np.ndarray, hi: np.ndarray, up: bool, close: np.ndarray) -> np.ndarray:
    """Per row, the point between ``lo`` and ``hi`` where ``lead`` changes sign: ``lead`` is positive (``up``
    False: at least zero) at ``lo`` ... (``up`` True: at ``hi``); each row stops once ``hi - lo <= close``, as the
    one-row search did."""
    lo, hi = lo.copy(), hi.copy()
    active = np.flatnonzero(hi - lo > close)
    for _ in range(_BISECT_STEPS):
        if not len(active):
            break
        mid = 0.5 * (lo[active] + hi[active])
        value = lead(active, mid)
        ok = value >= 0 if up else value > 0
        if up:
            hi[active] = np.where(ok, mid, hi[active])
            lo[active] = np.where(ok, lo[active], mid)
        else:
            lo[active] = np.where(ok, mid, lo[active])
            hi[active] = np.where(ok, hi[active], mid)
        active = active[hi[active] - lo[active] > close[active]]
    return 0.5 * (lo + hi)


def prices_to_win(ev: Evaluation, who: list[int]) -> list[float | None]:
    """For each tenderer of ``who``: the evaluated price at which it ties for first (below it, it wins); None if no
    price does. All searched together, each trial over the candidates (:func:`_candidates`) only."""
    f = _field(ev)
    w = np.asarray(who, dtype=int)
    is_price = np.array([c.kind == "price" for c in ev.model.criteria])
    value = (f.points[:, ~is_price] * f.weights[~is_price]).sum(axis=1)
    others = np.union1d(_candidates(f.prices, value), f.holders())

    def lead(rows: np.ndarray, p: np.ndarray) -> np.ndarray:
        return f.leads(others, w[rows], p, f.quality[w[rows]])

    hi = f.prices[w].copy()
    lo = hi * 1e-6
    out: list[float | None] = [None] * len(w)
    search = np.ones(len(w), dtype=bool)
    all_rows = np.arange(len(w))
    search &= lead(all_rows, lo) > 0
    at_hi = search & (lead(all_rows, hi) >= 0)
    search &= ~at_hi
    found = _bisect(lead, lo, hi, up=False, close=1e-12 * f.prices[w])
    for r in range(len(w)):
        out[r] = float(hi[r]) if at_hi[r] else float(found[r]) if search[r] else None
    return out


def scores_to_win(ev: Evaluation, who: list[int], criterion: int) -> list[float | None]:
    """For each tenderer of ``who``: the consensus score on quality criterion ``criterion`` (index in
    ``model.quality``) at which it ties for first, everything else unchanged; None if the top of the scale is not
    enough. All searched together over the candidates only."""
    f = _field(ev)
    scale = ev.model.quality[criterion].scale
    assert scale is not None
    w = np.asarray(who, dtype=int)
    column = [c.id for c in ev.model.criteria].index(ev.model.quality[criterion].id)
    value = f.points @ f.weights - f.points[:, column] * f.weights[column]
    others = np.union1d(_candidates(-f.quality[:, criterion], value), f.holders(skip=criterion))

    def lead(rows: np.ndarray, s: np.ndarray) -> np.ndarray:
        q = f.quality[w[rows]].copy()
        q[:, criterion] = s
        return f.leads(others, w[rows], f.prices[w[rows]], q)

    lo = f.quality[w, criterion].copy()
    hi = np.full(len(w), float(scale.max))
    all_rows = np.arange(len(w))
    reach = lead(all_rows, hi) >= 0
    at_lo = reach & (lead(all_rows, lo) >= 0)
    search = reach & ~at_lo
    found = _bisect(lead, lo, hi, up=True, close=np.full(len(w), 1e-12 * (scale.max - scale.min)))
    return [float(lo[r]) if at_lo[r] else float(found[r]) if search[r] else None for r in range(len(w))]


def price_to_win(ev: Evaluation, who: int) -> float | None:
    """The evaluated price at which tenderer ``who`` ties for first (below it, it wins); None if no price does."""
    return prices_to_win(ev, [who])[0]


def score_to_win(ev: Evaluation, who: int, criterion: int) -> float | None:
    """The consensus score on quality criterion ``criterion`` (index in ``model.quality``) at which ``who`` ties for
    first, everything else unchanged; None if the top of the scale is not enough."""
    return scores_to_win(ev, [who], criterion)[0]


def what_it_takes(ev: Evaluation) -> pd.DataFrame:
    """For each tenderer not ranked first: the gap, the price at which it would tie for first, and per quality
    criterion the consensus score at which it would (each change on its own, everything else as evaluated)."""
    records = [r for r in ev.table.to_dict("records") if r["rank"] != 1]
    position = {t: i for i, t in enumerate(ev.tenderers)}
    who = [position[str(r["tenderer"])] for r in records]
    best = float(ev.table["total"].max())
    prices = prices_to_win(ev, who) if who else []
    scores = [scores_to_win(ev, who, k) if who else [] for k in range(len(ev.model.quality))]
    rows = []
    for j, r in enumerate(records):
        p, price = prices[j], float(r["evaluated_price"])
        row: dict = {"tenderer": r["tenderer"], "rank": int(r["rank"]), "gap": best - float(r["total"]),
                     "evaluated_price": price, "price_to_win": p, "price_change": None if p is None else p / price - 1.0}
        for k, c in enumerate(ev.model.quality):
            row[f"{c.id}_to_win"] = scores[k][j]
        rows.append(row)
    return pd.DataFrame(rows)


def _swept_weights(model: EvaluationModel, steps: int):
    """(price weight, criterion weights) as the price weight runs from 0 to 1, quality weights in their proportions."""
    base = np.array(list(model.weights().values()))
    is_price = np.array([c.kind == "price" for c in model.criteria])
    qsum = base[~is_price].sum()
    for wp in np.linspace(0.0, 1.0, steps):
        yield wp, np.where(is_price, wp, (1 - wp) * base / qsum if qsum > 0 else 0.0)


def price_weight(model: EvaluationModel) -> float:
    """The model's own price weight (the price criterion's share of the weights)."""
    return float(model.weights()[model.price.id])


def weight_sweep(ev: Evaluation, steps: int = 21) -> pd.DataFrame:
    """The winner as the price weight runs from 0 to 1, quality weights keeping their proportions."""
    rows = []
    for wp, w in _swept_weights(ev.model, steps):
        t = totals(ev.model, ev.prices(), ev.quality_scores(), weights=w)
        order = np.argsort(-t, kind="stable")
        rows.append({"price_weight": float(wp), "winner": ev.tenderers[order[0]],
                     "margin": float(t[order[0]] - t[order[1]]) if len(t) > 1 else float("nan")})
    return pd.DataFrame(rows)


def sweep_totals(ev: Evaluation, steps: int = 51) -> pd.DataFrame:
    """Each tenderer's weighted total as the price weight runs from 0 to 1 (long: price_weight, tenderer, total)."""
    rows = []
    for wp, w in _swept_weights(ev.model, steps):
        for name, t in zip(ev.tenderers, totals(ev.model, ev.prices(), ev.quality_scores(), weights=w), strict=True):
            rows.append({"price_weight": float(wp), "tenderer": name, "total": float(t)})
    return pd.DataFrame(rows, columns=["price_weight", "tenderer", "total"])
