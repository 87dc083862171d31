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


def _lead(model: EvaluationModel, prices: np.ndarray, quality: np.ndarray, who: int) -> float:
    """Total of tenderer ``who`` minus the best total of the others."""
    t = totals(model, prices, quality)
    return float(t[who] - np.max(np.delete(t, who)))


def price_to_win(ev: Evaluation, who: int) -> float | None:
    """The evaluated price at which tenderer ``who`` ties for first (below it, it wins); None if no price does."""
    prices, quality = ev.prices(), ev.quality_scores()

    def lead(p: float) -> float:
        q = prices.copy()
        q[who] = p
        return _lead(ev.model, q, quality, who)

    hi = prices[who]
    lo = hi * 1e-6
    if lead(lo) <= 0:
        return None
    if lead(hi) >= 0:
        return float(hi)
    for _ in range(_BISECT_STEPS):
        mid = 0.5 * (lo + hi)
        if lead(mid) > 0:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-12 * prices[who]:
            break
    return 0.5 * (lo + hi)


def score_to_win(ev: Evaluation, who: int, criterion: int) -> float | None:
    """The consensus score on quality criterion ``criterion`` (index in ``model.quality``) at which ``who`` ties for
    first, everything else unchanged; None if the top of the scale is not enough."""
    prices, quality = ev.prices(), ev.quality_scores()
    scale = ev.model.quality[criterion].scale
    assert scale is not None

    def lead(s: float) -> float:
        q = quality.copy()
        q[who, criterion] = s
        return _lead(ev.model, prices, q, who)

    lo, hi = quality[who, criterion], scale.max
    if lead(hi) < 0:
        return None
    if lead(lo) >= 0:
        return float(lo)
    for _ in range(_BISECT_STEPS):
        mid = 0.5 * (lo + hi)
        if lead(mid) >= 0:
            hi = mid
        else:
            lo = mid
        if hi - lo <= 1e-12 * (scale.max - scale.min):
            break
    return 0.5 * (lo + hi)


def what_it_takes(ev: Evaluation) -> pd.DataFrame:
    """For each tenderer not ranked first: the gap, the price at which it would tie for first, and per quality
    criterion the consensus score at which it would (each change on its own, everything else as evaluated)."""
    rows = []
    tenderers = ev.tenderers
    best = float(ev.table["total"].max())
    for r in ev.table.to_dict("records"):
        if r["rank"] == 1:
            continue
        i = tenderers.index(str(r["tenderer"]))
        p = price_to_win(ev, i)
        price = float(r["evaluated_price"])
        row: dict = {"tenderer": r["tenderer"], "rank": int(r["rank"]), "gap": best - float(r["total"]),
                     "evaluated_price": price, "price_to_win": p, "price_change": None if p is None else p / price - 1.0}
        for k, c in enumerate(ev.model.quality):
            row[f"{c.id}_to_win"] = score_to_win(ev, i, k)
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
