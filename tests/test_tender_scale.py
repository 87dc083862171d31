"""The tender evaluation in time linear in the tenderers gives what the direct search over the whole field gives.

What it takes searches each losing tenderer's price and scores over a few candidates (the tenderers no other one
dominates, two layers deep, and those who set the lowest price and the best relative scores); the paradox check
recomputes the totals only for the removals that can change other tenders' points. The references here are the
direct computations, kept as they were written before: every tenderer's totals at every trial (one bisection per
tenderer) and every removal with every pair compared in Python. Random fields, seeded, under absolute and
relative price models and quality scales, with a floor, and with ties in price and in quality.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from procurement.tender import paradox
from procurement.tender.evaluate import _BISECT_STEPS, Evaluation, prices_to_win, scores_to_win, totals
from procurement.tender.models import EvaluationModel


def _model(price: dict, scoring: str) -> EvaluationModel:
    scale = {"min": 0, "max": 10, "scoring": scoring}
    return EvaluationModel.model_validate({
        "id": "t", "title": {"nb": "T", "en": "T"}, "criteria": [
            {"id": "price", "label": {"nb": "P", "en": "P"}, "kind": "price", "weight": 40, "price_model": price},
            {"id": "a", "label": {"nb": "A", "en": "A"}, "kind": "quality", "weight": 35, "scale": scale},
            {"id": "b", "label": {"nb": "B", "en": "B"}, "kind": "quality", "weight": 25, "scale": scale}]})


MODELS = {
    "linear-absolute": ({"kind": "linear"}, "absolute"),
    "proportional-relative": ({"kind": "proportional"}, "relative"),
    "linear-floor-relative": ({"kind": "linear", "floor": 2}, "relative"),
    "interpolation-absolute": ({"kind": "interpolation", "best": 900, "worst": 2600}, "absolute"),
}


class _Ev:
    """The part of an Evaluation the searches read: model, prices and consensus scores, totals and ranks."""

    def __init__(self, model, prices, quality):
        self.model, self._p, self._q = model, prices, quality
        self.tenderers = [f"t{i}" for i in range(len(prices))]
        total = totals(model, prices, quality)
        self.table = pd.DataFrame({"tenderer": self.tenderers, "total": total, "evaluated_price": prices})

    def prices(self):
        return self._p.copy()

    def quality_scores(self):
        return self._q.copy()


def _field(seed: int, n: int):
    rng = np.random.default_rng(seed)
    prices = np.round(rng.uniform(1000, 2500, n), 0)  # rounded: ties in price occur
    quality = rng.integers(2, 10, (n, 2)).astype(float)  # whole scores: ties in quality occur
    return prices, quality


def _lead(model, prices, quality, who):
    t = totals(model, prices, quality)
    return float(t[who] - np.max(np.delete(t, who)))


def _price_reference(model, prices, quality, who):
    def lead(p):
        q = prices.copy()
        q[who] = p
        return _lead(model, q, quality, who)

    hi = prices[who]
    lo = hi * 1e-6
    if lead(lo) <= 0:
        return None
    if lead(hi) >= 0:
        return float(hi)
    for _ in range(_BISECT_STEPS):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if lead(mid) > 0 else (lo, mid)
        if hi - lo <= 1e-12 * prices[who]:
            break
    return 0.5 * (lo + hi)


def _score_reference(model, prices, quality, who, k):
    def lead(s):
        q = quality.copy()
        q[who, k] = s
        return _lead(model, prices, q, who)

    lo, hi = quality[who, k], 10.0
    if lead(hi) < 0:
        return None
    if lead(lo) >= 0:
        return float(lo)
    for _ in range(_BISECT_STEPS):
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if lead(mid) >= 0 else (mid, hi)
        if hi - lo <= 1e-12 * 10:
            break
    return 0.5 * (lo + hi)


def _same(a, b):
    return (a is None and b is None) or (a is not None and b is not None and a == pytest.approx(b, rel=1e-9, abs=1e-9))


@pytest.mark.parametrize("name", list(MODELS))
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_what_it_takes_over_candidates_equals_the_search_over_the_whole_field(name, seed):
    model = _model(*MODELS[name])
    prices, quality = _field(seed, 60)
    ev = _Ev(model, prices, quality)
    who = list(range(len(prices)))
    fast = prices_to_win(ev, who)  # type: ignore[arg-type]
    for i in who:
        assert _same(fast[i], _price_reference(model, prices, quality, i)), (name, i)
    for k in range(2):
        fast = scores_to_win(ev, who, k)  # type: ignore[arg-type]
        for i in who:
            assert _same(fast[i], _score_reference(model, prices, quality, i, k)), (name, i, k)


def _changes_reference(before, after, keep, tol):
    out = []
    for x, a in enumerate(keep):
        for b in keep[x + 1:]:
            s0 = np.sign(before[a] - before[b]) if abs(before[a] - before[b]) > tol else 0
            s1 = np.sign(after[a] - after[b]) if abs(after[a] - after[b]) > tol else 0
            if s0 != s1:
                out.append((a, b) if s0 >= 0 else (b, a))
    return out


@pytest.mark.parametrize("shared", [False, True], ids=["one-lowest", "shared-lowest"])
@pytest.mark.parametrize("name", list(MODELS))
def test_the_paradox_check_finds_what_every_removal_compared_pair_by_pair_finds(name, shared):
    model = _model(*MODELS[name])
    prices, quality = _field(7, 40)
    prices[int(np.argmin(prices))] -= 150  # one clearly lowest price, so removing it moves the others' points
    if shared:
        prices[5] = prices.min()  # two tenderers share the lowest price: removing either changes no other point
    base = totals(model, prices, quality)
    n, tol = len(prices), model.tie_tolerance
    expected = []
    for k in range(n):
        after = totals(model, prices, quality, np.arange(n) != k)
        expected += [(k, a, b) for a, b in _changes_reference(base, after, [i for i in range(n) if i != k], tol)]
    pivotal = np.flatnonzero(paradox._pivotal(model, prices, quality))
    found = []
    for k in pivotal:
        after = totals(model, prices, quality, np.arange(n) != k)
        found += [(int(k), a, b) for a, b in paradox._order_changes(base, after, [i for i in range(n) if i != k], tol)]
    assert found == expected
    relative = model.price.price_model is not None and model.price.price_model.relative
    assert len(expected) > 0 or shared or not relative  # a relative price model shows the paradox here


def test_the_example_competition_is_unchanged_by_the_faster_search():
    """The example's what-it-takes, as the hand computation of tests/test_tender.py checks it, from both searches."""
    from pathlib import Path

    from procurement.tender import evaluate, load_competition

    case = Path(__file__).resolve().parents[1] / "data" / "national-municipal-solution"
    ev: Evaluation = evaluate(load_competition(case, "dialogue-final-round"))
    prices, quality = ev.prices(), ev.quality_scores()
    who = list(range(len(prices)))
    found = prices_to_win(ev, who)
    assert all(_same(found[i], _price_reference(ev.model, prices, quality, i)) for i in who)
