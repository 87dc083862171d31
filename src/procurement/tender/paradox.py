"""The ranking paradox of relative scoring, after opening and before it.

After opening (:func:`check`): remove each tenderer in turn, and add plausible extra tenders, and report every case
where the order of two other tenderers changes. Under a relative model (points depend on the lowest price, or on
the best quality score) an irrelevant tender can decide between two others; under absolute models it cannot.

Before opening (:func:`simulate`): draw plausible fields of tenders (number of tenderers, prices around the
estimate, quality, their correlation; seeded) and report per price model and price weight how often removing one
tenderer changes which of the remaining tenderers wins (adding a tender to a field is the same event seen from the
smaller field), and how often the winner is not the best value for money (the highest money value of quality
minus price, with the model's stated value of one quality point). Every field is scored for every model in one
vectorised pass.

Sources: Bergman & Lundberg (2013), J. Purchasing & Supply Management 19(2), on scoring rules; Stilger, Siderius
& van Raaij (2017), J. Public Procurement 17(1), on rank reversal in relative scoring (verified: false, the
papers themselves were not read here).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from procurement.case.errors import InputError, Problem
from procurement.text.sentences import Assumption, describe
from procurement.tender.assumptions import simulation_assumptions
from procurement.tender.evaluate import Evaluation, totals
from procurement.tender.models import EvaluationModel, PriceModel, Simulation
from procurement.tender.pricing import price_points
from procurement.tender.records import records

#: Extra tenders tried by the check: price as a share of the lowest price, and of the highest.
EXTRA_BELOW_LOWEST = (0.5, 0.7, 0.9)
EXTRA_ABOVE_HIGHEST = (1.0, 1.2)


#: Pairs compared at once (a block of rows times all tenderers; 16 MB per array).
_PAIR_CELLS = 2_000_000


def _signs(d: np.ndarray, tol: float) -> np.ndarray:
    return np.where(np.abs(d) > tol, np.sign(d), 0.0)


def _order_changes(before: np.ndarray, after: np.ndarray, keep: list[int], tol: float) -> list[tuple[int, int]]:
    """Pairs (a, b) of ``keep`` with a ahead of b (or tied) before and a different relation after, in the order of
    ``keep`` (a, then b after it); compared as arrays, a block of rows at a time."""
    k = np.asarray(keep, dtype=int)
    b0, b1 = before[k], after[k]
    out: list[tuple[int, int]] = []
    block = max(1, _PAIR_CELLS // max(len(k), 1))
    for lo in range(0, len(k), block):
        rows = np.arange(lo, min(lo + block, len(k)))
        s0 = _signs(b0[rows, None] - b0[None, :], tol)
        s1 = _signs(b1[rows, None] - b1[None, :], tol)
        x, y = np.nonzero((s0 != s1) & (np.arange(len(k))[None, :] > rows[:, None]))
        out += [(int(k[rows[i]]), int(k[j])) if s0[i, j] >= 0 else (int(k[j]), int(k[rows[i]]))
                for i, j in zip(x, y, strict=True)]
    return out


def _pivotal(model: EvaluationModel, prices: np.ndarray, quality: np.ndarray) -> np.ndarray:
    """Whether removing each tenderer can change the others' points: it has the lowest price, or the best score on
    a relative quality scale. Removing anyone else leaves every other total exactly as it was."""
    out = prices == prices.min()
    for k, c in enumerate(model.quality):
        if c.scale is not None and c.scale.scoring == "relative":
            out |= quality[:, k] == quality[:, k].max()
    return out


def _relation(d: float, tol: float) -> str:
    return "tie" if abs(d) <= tol else "ahead" if d > 0 else "behind"


def check(ev: Evaluation) -> pd.DataFrame:
    """Every case where removing one tenderer, or adding a plausible extra tender, changes the order of two others."""
    model, names = ev.model, ev.tenderers
    prices, quality = ev.prices(), ev.quality_scores()
    base = totals(model, prices, quality)
    tol = model.tie_tolerance
    rows: list[dict] = []
    n = len(names)
    pivotal = _pivotal(model, prices, quality) if n else np.zeros(0, dtype=bool)
    for k in np.flatnonzero(pivotal):
        present = np.arange(n) != k
        after = totals(model, prices, quality, present)
        keep = [i for i in range(n) if i != k]
        for a, b in _order_changes(base, after, keep, tol):
            rows.append(_row("removed", names[k], None, names[a], names[b], base, after, a, b, tol))
    for label, price, q in _extras(model, prices, quality, names):
        p2, q2 = np.append(prices, price), np.vstack([quality, q[None, :]])
        after = totals(model, p2, q2)
        for a, b in _order_changes(base, after[:n], list(range(n)), tol):
            rows.append(_row("added", label, price, names[a], names[b], base, after, a, b, tol))
    cols = ["change", "tender", "extra_price", "first", "second", "before", "after", "total_first", "total_second",
            "after_first", "after_second"]
    return pd.DataFrame(rows, columns=cols)


def _row(change, tender, price, first, second, base, after, a, b, tol) -> dict:
    return {"change": change, "tender": tender, "extra_price": price, "first": first, "second": second,
            "before": _relation(base[a] - base[b], tol), "after": _relation(after[a] - after[b], tol),
            "total_first": float(base[a]), "total_second": float(base[b]),
            "after_first": float(after[a]), "after_second": float(after[b])}


def _extras(model: EvaluationModel, prices: np.ndarray, quality: np.ndarray, names: list[str]):
    """Plausible extra tenders: cheaper than the lowest (or dearer than the highest) price, with the quality of
    each tenderer or the top of every scale."""
    top = np.array([c.scale.max for c in model.quality if c.scale is not None])
    profiles = [("top quality", top)]
    if any(c.scale is not None and c.scale.scoring == "relative" for c in model.quality):
        profiles += [(f"quality of {t}", quality[i]) for i, t in enumerate(names)]  # the best score matters
    for share in EXTRA_BELOW_LOWEST:
        for what, q in profiles:
            yield f"{share:.0%} of the lowest price, {what}", share * prices.min(), q
    for share in EXTRA_ABOVE_HIGHEST:
        yield f"{share:.0%} of the highest price, top quality", share * prices.max(), top


# --- pre-opening simulation ---------------------------------------------------------------------------------------


@dataclass
class Fields:
    """Simulated tender fields: prices (F, n) with ``inf`` for absent tenderers, quality (F, n) on 0-10."""

    prices: np.ndarray
    quality: np.ndarray
    present: np.ndarray


def draw_fields(sim: Simulation, key: str = "") -> Fields:
    """Seeded fields; the stream is keyed by the simulation seed and ``key`` (the competition id)."""
    rng = np.random.default_rng([sim.seed, zlib.crc32(key.encode())])
    lo, hi = sim.tenderers
    f = sim.fields
    count = rng.integers(lo, hi + 1, size=f)
    present = np.arange(hi)[None, :] < count[:, None]
    zq = rng.standard_normal((f, hi))
    zp = sim.price_quality_correlation * zq + np.sqrt(1 - sim.price_quality_correlation**2) * rng.standard_normal((f, hi))
    quality = np.clip(sim.quality_mean + sim.quality_spread * zq, 0.0, 10.0)
    prices = np.where(present, sim.estimate * np.exp(sim.price_spread * zp), np.inf)
    return Fields(prices, quality, present)


def field_outcomes(model: PriceModel, weight: float, fields: Fields, value_per_point: float, max_points: float = 10.0):
    """Per field: (paradox, best value for money does not win). Vectorised over fields; one pass per removal."""
    p, q, present = fields.prices, fields.quality, fields.present
    qterm = (1 - weight) * max_points / 10.0 * q
    total = np.where(present, weight * price_points(model, p, max_points) + qterm, -np.inf)
    winner = total.argmax(axis=-1)
    value = np.where(present, value_per_point * q - p, -np.inf)
    misses = value.argmax(axis=-1) != winner
    paradox = np.zeros(len(p), dtype=bool)
    n = p.shape[1]
    idx = np.arange(n)
    for k in range(n):
        here = present[:, k]
        if not here.any():
            continue
        rest = present & (idx != k)
        p_k = np.where(rest, p, np.inf)
        t_k = np.where(rest, weight * price_points(model, p_k, max_points) + qterm, -np.inf)
        before = np.where(rest, total, -np.inf).argmax(axis=-1)
        paradox |= here & (t_k.argmax(axis=-1) != before)
    return paradox, misses


def field_outcomes_loop(model: PriceModel, weight: float, fields: Fields, value_per_point: float, max_points: float = 10.0):
    """The same as :func:`field_outcomes`, one field at a time (the reference the benchmark compares with)."""
    f = len(fields.prices)
    paradox = np.zeros(f, dtype=bool)
    misses = np.zeros(f, dtype=bool)
    for i in range(f):
        keep = np.flatnonzero(fields.present[i])
        p, q = fields.prices[i, keep], fields.quality[i, keep]
        t = weight * price_points(model, p, max_points) + (1 - weight) * q * max_points / 10.0
        w = int(np.argmax(t))
        misses[i] = int(np.argmax(value_per_point * q - p)) != w
        for k in range(len(keep)):
            rest = np.arange(len(keep)) != k
            t_k = weight * price_points(model, p[rest], max_points) + (1 - weight) * q[rest] * max_points / 10.0
            if int(np.argmax(t_k)) != int(np.argmax(t[rest])):
                paradox[i] = True
                break
    return paradox, misses


@dataclass
class TenderSimulation:
    """The pre-opening simulation of one competition: per candidate price model and price weight, the share of
    fields with a ranking paradox and the share where the best value for money does not win."""

    competition: str
    currency: str
    table: pd.DataFrame  # model, kind, relative, reference, best, worst, floor, price_weight, paradox, misses_best_value, fields
    simulation: Simulation
    assumptions: list[Assumption] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        """The table with (model, price weight) as the index."""
        return self.table.set_index(["model", "price_weight"])

    def to_dict(self) -> dict:
        """JSON-ready, full precision (NaN as None): what ``procurement tender simulate --format json`` prints."""
        return {"competition": self.competition, "currency": self.currency, "fields": self.simulation.fields,
                "seed": self.simulation.seed,
                "table": records(self.table), "assumptions": [a.to_dict() for a in self.assumptions]}

    def describe(self, language: str = "nb") -> list[str]:
        return describe(self.assumptions, language)


def model_name(m: PriceModel) -> str:
    if m.kind == "fixed-reference":
        return f"fixed-reference (R = {m.reference:g})"
    if m.kind == "interpolation":
        return f"interpolation ({m.best:g} to {m.worst:g})"
    return m.kind + ("" if m.floor is None else f" (floor {m.floor:g})")


def simulate(model: EvaluationModel, sim: Simulation | None = None) -> TenderSimulation:
    """Paradox probability and how often the best value for money fails to win, per price model and price weight."""
    sim = sim or model.simulation
    if sim is None:
        raise InputError(Problem("model.yaml", "key 'simulation'", "no simulation settings",
                                 "add simulation: with estimate and value_per_point (see docs/tender.md)"))
    candidates = sim.models or [m for m in [model.price.price_model] if m is not None]
    fields = draw_fields(sim, model.id)
    rows = []
    for m in candidates:
        for w in sim.price_weights:
            paradox, misses = field_outcomes(m, w, fields, sim.value_per_point, model.max_points)
            rows.append({"model": model_name(m), "kind": m.kind, "relative": m.relative, "reference": m.reference,
                         "best": m.best, "worst": m.worst, "floor": m.floor, "price_weight": w,
                         "paradox": float(paradox.mean()), "misses_best_value": float(misses.mean()), "fields": sim.fields})
    return TenderSimulation(model.id, model.currency, pd.DataFrame(rows), sim,
                            simulation_assumptions(sim, model.currency, len(candidates)))
