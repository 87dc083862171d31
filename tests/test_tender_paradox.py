"""The ranking paradox: a constructed three-tender case checked by hand, and the pre-opening simulation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from procurement.tender import evaluate, load_competition
from procurement.tender import paradox
from procurement.tender.models import PriceModel, Simulation

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"


def _case(tmp_path: Path, price_model: str, price_weight: int) -> Path:
    """Three tenders: a (100, quality 2), b (120, quality 5), c (150, quality 7.8).

    Linear, price weight 50 %: with a, b = 0.5*8 + 0.5*5 = 6.5 ahead of c = 0.5*5 + 0.5*7.8 = 6.4; without a
    (Pb = 120), b = 0.5*10 + 2.5 = 7.5 behind c = 0.5*7.5 + 3.9 = 7.65.
    Proportional, price weight 60 %: with a, b = 7.0 behind c = 7.12; without a, b = 8.0 ahead of c = 7.92.
    No single price weight swaps b and c under both models: removing the lowest tender narrows the linear gap between
    b and c but widens the proportional one, so the swaps run in opposite directions at different weights.
    """
    folder = tmp_path / "case" / "tenders" / "three"
    folder.mkdir(parents=True)
    (folder / "model.yaml").write_text(
        "id: three\ntitle: {nb: Tre, en: Three}\ncriteria:\n"
        f"  - {{id: price, label: {{nb: P, en: P}}, kind: price, weight: {price_weight}, price_model: {price_model}}}\n"
        f"  - {{id: q, label: {{nb: Q, en: Q}}, kind: quality, weight: {100 - price_weight}}}\n", encoding="utf-8")
    (folder / "tenders.csv").write_text("tenderer,price\na,100\nb,120\nc,150\n", encoding="utf-8")
    (folder / "evaluations.csv").write_text(
        "evaluator,tenderer,criterion,score,justification\nann,a,q,2,x\nann,b,q,5,x\nann,c,q,7.8,x\n", encoding="utf-8")
    return tmp_path / "case"


def _removal_of_a(tmp_path, price_model, weight):
    ev = evaluate(load_competition(_case(tmp_path, price_model, weight), "three"))
    found = paradox.check(ev)
    return ev, found[(found["change"] == "removed") & (found["tender"] == "a")]


def test_linear_withdrawal_swaps(tmp_path):
    ev, rows = _removal_of_a(tmp_path, "{kind: linear}", 50)
    t = ev.table.set_index("tenderer")["total"]
    assert t["b"] == pytest.approx(6.5, abs=1e-12) and t["c"] == pytest.approx(6.4, abs=1e-12)
    assert len(rows) == 1
    r = rows.iloc[0]
    assert (r["first"], r["second"], r["before"], r["after"]) == ("b", "c", "ahead", "behind")
    assert r["after_first"] == pytest.approx(7.5, abs=1e-12) and r["after_second"] == pytest.approx(7.65, abs=1e-12)


def test_proportional_withdrawal_swaps(tmp_path):
    ev, rows = _removal_of_a(tmp_path, "{kind: proportional}", 60)
    t = ev.table.set_index("tenderer")["total"]
    # with a: b = 0.6*10*100/120 + 0.4*5 = 7.0, c = 0.6*10*100/150 + 0.4*7.8 = 7.12
    assert t["b"] == pytest.approx(7.0, abs=1e-12) and t["c"] == pytest.approx(7.12, abs=1e-12)
    assert len(rows) == 1
    r = rows.iloc[0]
    # without a (Pb = 120): b = 6 + 2 = 8.0, c = 0.6*8 + 3.12 = 7.92
    assert (r["first"], r["second"], r["before"], r["after"]) == ("c", "b", "ahead", "behind")
    assert r["after_first"] == pytest.approx(7.92, abs=1e-12) and r["after_second"] == pytest.approx(8.0, abs=1e-12)


@pytest.mark.parametrize("weight", [50, 60])
def test_fixed_reference_no_swap(tmp_path, weight):
    ev, rows = _removal_of_a(tmp_path, "{kind: fixed-reference, reference: 130}", weight)
    assert rows.empty
    assert paradox.check(ev).empty  # nor does any extra tender change an order


def test_example_reports_every_case():
    ev = evaluate(load_competition(CASE, "dialogue-final-round"))
    found = paradox.check(ev)
    removed = found[found["change"] == "removed"]
    pairs = list(zip(removed["tender"], removed["first"], removed["second"], strict=True))
    assert pairs == [("supplier-d", "supplier-a", "supplier-b")]
    added = found[found["change"] == "added"]
    assert len(added) == 6 and set(added["second"]) == {"supplier-d"}


SIM = Simulation(fields=3000, tenderers=(3, 7), estimate=100, value_per_point=4, seed=7)
MODELS = [PriceModel(kind="linear"), PriceModel(kind="proportional"), PriceModel(kind="fixed-reference", reference=100),
          PriceModel(kind="interpolation", best=60, worst=160)]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.kind)
def test_vectorised_equals_per_field_loop(model):
    fields = paradox.draw_fields(SIM, "x")
    fast = paradox.field_outcomes(model, 0.4, fields, SIM.value_per_point)
    slow = paradox.field_outcomes_loop(model, 0.4, fields, SIM.value_per_point)
    np.testing.assert_array_equal(fast[0], slow[0])
    np.testing.assert_array_equal(fast[1], slow[1])
    if model.relative:
        assert fast[0].mean() > 0.005
    else:
        assert not fast[0].any()  # absolute models cannot show the paradox


def test_fields_are_seeded_and_keyed():
    a = paradox.draw_fields(SIM, "x")
    b = paradox.draw_fields(SIM, "x")
    c = paradox.draw_fields(SIM, "y")
    np.testing.assert_array_equal(a.prices, b.prices)
    assert not np.array_equal(a.prices, c.prices)
    counts = a.present.sum(axis=1)
    assert counts.min() == 3 and counts.max() == 7
    # prices are log-normal around the estimate: median close to 100
    assert np.median(a.prices[a.present]) == pytest.approx(100, rel=0.02)


def test_simulation_table():
    comp = load_competition(CASE, "dialogue-final-round")
    assert comp.model.simulation is not None
    res = paradox.simulate(comp.model, comp.model.simulation.model_copy(update={"fields": 4000}))
    t = res.table
    assert len(t) == 16
    assert (t.loc[~t["relative"], "paradox"] == 0).all()
    assert (t.loc[t["relative"], "paradox"] > 0).all()
