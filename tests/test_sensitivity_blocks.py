"""Bounded memory for large decisions (issue 26): blocked SMAA draws and confidence pass, one-column tornado and
score search. Each blocked computation is checked against an independent one: the closed form of the draw, a plain
per-sample loop with hand-written min–max scaling, scikit-criteria on the whole moved matrix, a hand-computed tie."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from conftest import CRITERIA, write_case
from procurement import load_case
from procurement.mcda import fastrank
from procurement.mcda.methods import get_method
from procurement.mcda.ranking import decision_matrix
from procurement.uncertainty import sensitivity as sen
from procurement.uncertainty import smaa as S


def test_triangular_draw_in_chunks_is_the_closed_form(monkeypatch):
    """Chunks of 2 options (the last one short): every value is a + (c − a)·max(U, V) + (b − c)·min(U, V) with
    all of U drawn before all of V, and the generator ends where drawing both would leave it."""
    rng = np.random.default_rng(3)
    m, n, size = 5, 3, 4
    low = rng.uniform(0, 2, (m, n))
    likely = low + rng.uniform(0, 3, (m, n))
    high = likely + rng.uniform(0, 3, (m, n))
    monkeypatch.setattr(S, "CHUNK_VALUES", 2 * n * size)
    g = np.random.default_rng(np.random.SeedSequence(7, spawn_key=(0, 1)))
    got = S.ThreePointScores(low, likely, high).draw(g, size)
    ref = np.random.default_rng(np.random.SeedSequence(7, spawn_key=(0, 1)))
    u, v = ref.random((m, n, size)), ref.random((m, n, size))
    a, c, b = low[:, :, None], likely[:, :, None], high[:, :, None]
    np.testing.assert_allclose(got, a + (c - a) * np.maximum(u, v) + (b - c) * np.minimum(u, v), rtol=1e-14)
    assert g.random() == ref.random()


def _plain_smaa(seed: int, samples: int, low, likely, high, obj):
    """SMAA-2 of the weighted sum, one sample at a time: uniform weights, triangular scores, min–max scaling."""
    m, n = likely.shape
    acc, cw, wins, draws = np.zeros((m, m)), np.zeros((m, n)), np.zeros((m, m)), []
    first = np.zeros(m)
    for k, size in enumerate(S._block_sizes(samples)):
        rw = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(k, 0)))
        rs = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(k, 1)))
        e = rw.standard_exponential((n, size))
        w = e / e.sum(axis=0)
        u, v = rs.random((m, n, size)), rs.random((m, n, size))
        x = low[:, :, None] + (likely - low)[:, :, None] * np.maximum(u, v) + (high - likely)[:, :, None] * np.minimum(u, v)
        for b in range(size):
            y = x[:, :, b] * obj
            vals = (y - y.min(axis=0)) / (y.max(axis=0) - y.min(axis=0))
            draws.append(vals)
            s = vals @ w[:, b]
            order = np.argsort(-s)
            for r, i in enumerate(order):
                acc[i, r] += 1
            first[order[0]] += 1
            cw[order[0]] += w[:, b]
            wins += s[:, None] > s[None, :]
    with np.errstate(invalid="ignore"):  # an option never first has no central weights (NaN)
        cw = cw / first[:, None]
    conf = np.array([np.mean([np.argmax(vals @ cw[i]) == i for vals in draws]) if first[i] else np.nan
                     for i in range(m)])
    return acc / samples, cw, conf, wins / samples


def test_blocked_smaa_matches_a_plain_loop(monkeypatch):
    """2,600 samples (two blocks of the stream), options drawn one at a time and one central weight vector at a
    time in the confidence pass: the same figures as the loop."""
    monkeypatch.setattr(S, "CHUNK_VALUES", 1)
    rng = np.random.default_rng(12)
    likely = rng.uniform(3, 7, (4, 3))
    low, high = likely - rng.uniform(0.5, 2, (4, 3)), likely + rng.uniform(0.5, 2, (4, 3))
    obj = np.array([1, -1, 1])
    r = S.run_smaa("wsm", obj, S.UniformWeights(3), S.ThreePointScores(low, likely, high), 2_600, 21, threads=1)
    acc, cw, conf, wins = _plain_smaa(21, 2_600, low, likely, high, obj)
    np.testing.assert_allclose(r.acceptability, acc, atol=1e-12)
    np.testing.assert_allclose(r.central_weights, cw, atol=1e-12)
    np.testing.assert_allclose(r.confidence, conf, atol=1e-12)
    off = ~np.eye(4, dtype=bool)
    np.testing.assert_allclose(r.winning[off], wins[off], atol=1e-12)


def _skcriteria(method: str, x: np.ndarray, obj: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Score and rank of the method's scikit-criteria pipeline on one whole matrix."""
    cols = [f"c{j}" for j in range(x.shape[1])]
    mat = pd.DataFrame(x, index=[f"o{i}" for i in range(len(x))], columns=cols)
    dm = decision_matrix(mat, pd.Series(obj, index=cols), pd.Series(w, index=cols))
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        res = get_method(method).pipeline().evaluate(dm)
    score = res.e_["similarity"] if "similarity" in res.e_ else res.e_["score"]
    return np.asarray(score, dtype=float), np.asarray(res.rank_, dtype=int)


@pytest.mark.parametrize("method", ["wsm", "wsm-sum", "wpm", "topsis", "waspas", "copras"])
def test_one_column_scores_match_scikit_criteria_on_the_whole_matrix(method):
    """The tornado's and the score search's scores (column j prepared alone, the other columns' weighted sums
    reused) against scikit-criteria on every whole matrix with one score moved."""
    rng = np.random.default_rng(4)
    x = rng.uniform(1, 9, (6, 5))
    obj = np.array([1, -1, 1, 1, -1])
    w = rng.uniform(0.1, 1, 5)
    score = sen._column_scorer(method, x, obj, w, {})
    for j in range(5):
        values = np.repeat(x[:, j][:, None], 12, axis=1)
        values[np.arange(12) % 6, np.arange(12)] = rng.uniform(1, 9, 12)
        got = score(j, values)
        for b in range(12):
            moved = x.copy()
            moved[:, j] = values[:, b]
            sk_score, sk_rank = _skcriteria(method, moved, obj, w)
            np.testing.assert_allclose(got[:, b], sk_score, rtol=1e-9, atol=1e-12)
            np.testing.assert_array_equal(fastrank.rank_scores(got[:, b]), sk_rank)


def test_first_place_follows_chained_ties_by_hand():
    """Scores 1, 1 − 0.6e-10, 1 − 1.2e-10, 0.5: each gap to the next is within the tolerance 1e-10, so the first
    three tie for rank 1 (a chain) although the third is 1.2e-10 below the best; 0.5 is rank 2."""
    s = np.array([1.0, 1 - 0.6e-10, 1 - 1.2e-10, 0.5])[:, None].repeat(4, axis=1)
    got = sen._first_place(s, np.arange(4))
    assert got.tolist() == [True, True, True, False]
    assert got.tolist() == (fastrank.rank_scores(s[:, 0]) == 1).tolist()


@pytest.fixture
def pick(tiny_case):
    return load_case(tiny_case).decision("pick")


@pytest.mark.parametrize("method", ["wsm", "topsis"])
def test_score_search_in_small_batches_draws_level(pick, method, monkeypatch):
    """Batches of 7 moved matrices (the grid of 201 points crosses batch ends): at the required score the option
    draws level with the leader, per scikit-criteria on the whole matrix; a little short of it, it does not win."""
    monkeypatch.setattr(sen, "BATCH_VALUES", 7 * 3)
    t = sen.score_changes(pick, method).dropna()
    assert len(t)
    w = sen.point_weights(pick).to_numpy()
    obj = pick.value_objectives.loc[pick.criterion_ids].to_numpy()
    base = pick.value_matrix("likely").loc[:, pick.criterion_ids]
    for row in t.itertuples():
        i, j = list(base.index).index(row.option), pick.criterion_ids.index(row.criterion)
        x = base.to_numpy(dtype=float).copy()
        x[i, j] = row.required
        s, _ = _skcriteria(method, x, obj, w)
        assert s[i] == pytest.approx(np.delete(s, i).max(), rel=1e-6)
        x[i, j] = row.score + 0.99 * row.change
        s, r = _skcriteria(method, x, obj, w)
        assert r[i] != 1


@pytest.mark.parametrize("method", ["wsm", "topsis"])
def test_tornado_applies_the_value_function_to_the_moved_score(tmp_path, method):
    """Cost through the value function 0 → 10, 400 → 6, 1000 → 0 (by hand: np.interp): every tornado score at a
    low or high end equals scikit-criteria's on the value matrix with that one value moved."""
    crit = CRITERIA.replace("    scale: {kind: natural, unit: MNOK, min: 0, max: 1000}\n",
                            "    scale: {kind: natural, unit: MNOK, min: 0, max: 1000}\n"
                            "    value_function: {kind: piecewise, points: [[0, 10], [400, 6], [1000, 0]]}\n", 1)
    d = load_case(write_case(tmp_path, criteria__pick_yaml=crit)).decision("pick")
    t = sen.tornado(d, method)
    values = d.value_matrix("likely").loc[:, d.criterion_ids]
    obj = np.ones(3, dtype=int)  # after the value function every criterion is maximised
    w = sen.point_weights(d).to_numpy()
    for row in t.itertuples():
        i, j = list(values.index).index(row.option), d.criterion_ids.index(row.criterion)
        for raw, got in ((row.low, row.score_at_low), (row.high, row.score_at_high)):
            x = values.to_numpy(dtype=float).copy()
            x[i, j] = np.interp(raw, [0, 400, 1000], [10, 6, 0]) if row.criterion == "cost" else raw
            assert got == pytest.approx(_skcriteria(method, x, obj, w)[0][i], rel=1e-9)
