"""Tender evaluation: price models against hand computations, the example competition by hand, ties, validation,
what it takes to win, and the CLI."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from procurement.case.errors import InputError
from procurement.cli import main
from procurement.tender import evaluate, load_competition, what_it_takes
from procurement.tender.evaluate import totals
from procurement.tender.models import EvaluationModel, PriceModel, QualityScale
from procurement.tender.pricing import price_points, quality_points

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"
COMP = "dialogue-final-round"

PRICES = np.array([100.0, 150.0, 250.0, 80.0])  # 80 is the lowest: Pb = 80


def test_linear_by_hand_with_negative_points():
    got = price_points(PriceModel(kind="linear"), PRICES)
    # 10 - 10*(Pe - 80)/80
    want = [10 - 10 * 20 / 80, 10 - 10 * 70 / 80, 10 - 10 * 170 / 80, 10.0]
    assert want == pytest.approx([7.5, 1.25, -11.25, 10.0], abs=1e-12)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
    assert got[2] < 0  # KOFA 2015/60: negative points allowed


def test_linear_with_floor():
    got = price_points(PriceModel(kind="linear", floor=0), PRICES)
    np.testing.assert_allclose(got, [7.5, 1.25, 0.0, 10.0], rtol=0, atol=1e-9)


def test_proportional_by_hand():
    got = price_points(PriceModel(kind="proportional"), PRICES)
    np.testing.assert_allclose(got, [8.0, 16 / 3, 3.2, 10.0], rtol=0, atol=1e-9)


def test_fixed_reference_by_hand():
    got = price_points(PriceModel(kind="fixed-reference", reference=120), PRICES)
    # 10 - 10*(Pe - 120)/120
    np.testing.assert_allclose(got, [10 + 20 / 12, 10 - 30 / 12, 10 - 130 / 12, 10 + 40 / 12], rtol=0, atol=1e-9)
    half = price_points(PriceModel(kind="fixed-reference", reference=120, slope=5), PRICES)
    np.testing.assert_allclose(half, [10 + 10 / 12, 10 - 15 / 12, 10 - 65 / 12, 10 + 20 / 12], rtol=0, atol=1e-9)


def test_interpolation_by_hand():
    got = price_points(PriceModel(kind="interpolation", best=90, worst=200), PRICES)
    # 10*(200 - Pe)/110, clipped to 0..10
    np.testing.assert_allclose(got, [1000 / 110, 500 / 110, 0.0, 10.0], rtol=0, atol=1e-9)


def test_relative_quality_scale():
    got = quality_points(QualityScale(scoring="relative"), np.array([4.0, 8.0, 6.0]))
    np.testing.assert_allclose(got, [5.0, 10.0, 7.5], atol=1e-12)
    absolute = quality_points(QualityScale(min=1, max=5), np.array([1.0, 3.0, 5.0]))
    np.testing.assert_allclose(absolute, [0.0, 5.0, 10.0], atol=1e-12)


def test_model_rejects_bad_price_models():
    with pytest.raises(ValueError, match="needs 'reference'"):
        PriceModel(kind="fixed-reference")
    with pytest.raises(ValueError, match="must be above 'best'"):
        PriceModel(kind="interpolation", best=200, worst=100)


def test_example_by_hand():
    ev = evaluate(load_competition(CASE, COMP))
    t = ev.table.set_index("tenderer")
    pb = 1420.0
    w = {"price": 0.4, "usability": 0.25, "functionality": 0.15, "implementation": 0.10, "risk": 0.10}
    quality = {"supplier-a": (6, 7, 7, 6), "supplier-b": (8, 7, 6, 7), "supplier-d": (5, 5, 4, 4)}
    prices = {"supplier-a": 1760.0, "supplier-b": 1960.0, "supplier-d": 1420.0}
    for who, q in quality.items():
        price_pts = 10 - 10 * (prices[who] - pb) / pb
        want = w["price"] * price_pts + sum(wi * qi for wi, qi in zip(list(w.values())[1:], q, strict=True))
        assert t.loc[who, "total"] == pytest.approx(want, abs=1e-12)
    assert ev.winner == "supplier-a"
    assert list(ev.table["rank"]) == [1, 2, 3, 4, 5]
    assert t.loc["supplier-a", "margin"] == pytest.approx(t.loc["supplier-a", "total"] - t.loc["supplier-b", "total"])
    flagged = ev.disagreements()
    assert list(zip(flagged["tenderer"], flagged["criterion"], strict=True)) == [("supplier-c", "implementation")]
    assert flagged["spread"].iloc[0] == 4


def test_what_it_takes_ties_at_the_threshold():
    ev = evaluate(load_competition(CASE, COMP))
    wit = what_it_takes(ev).set_index("tenderer")
    # supplier-b's price at which it ties with supplier-a: Pb stays 1420 (b > 1420), so by hand
    # 0.4*(10 - 10*(p - 1420)/1420) + qb = total_a  =>  p = 1420 + 1420*(10 - (total_a - qb)/0.4)/10
    t = ev.table.set_index("tenderer")["total"]
    qb = 0.25 * 8 + 0.15 * 7 + 0.10 * 6 + 0.10 * 7
    p = 1420 + 1420 * (10 - (t["supplier-a"] - qb) / 0.4) / 10
    assert wit.loc["supplier-b", "price_to_win"] == pytest.approx(p, rel=1e-9)
    # usability score at which supplier-b ties: 0.25 * s = total_a - (total_b - 0.25*8)
    s = (t["supplier-a"] - (t["supplier-b"] - 0.25 * 8)) / 0.25
    assert wit.loc["supplier-b", "usability_to_win"] == pytest.approx(s, rel=1e-9)
    assert np.isnan(wit.loc["supplier-e", "usability_to_win"])  # the top of the scale is not enough on its own


def _two_tenderers(tmp_path: Path, tie_break: str) -> Path:
    folder = tmp_path / "case" / "tenders" / "t"
    folder.mkdir(parents=True)
    (folder / "model.yaml").write_text(
        f"id: t\ntitle: {{nb: T, en: T}}\ntie_break: {tie_break}\ncriteria:\n"
        "  - {id: price, label: {nb: P, en: P}, kind: price, weight: 50, price_model: {kind: linear}}\n"
        "  - {id: q, label: {nb: Q, en: Q}, kind: quality, weight: 50}\n", encoding="utf-8")
    # x: price 100, quality 6 -> 0.5*10 + 0.5*6 = 8; y: price 110 -> 0.5*9 + 0.5*7 = 8
    (folder / "tenders.csv").write_text("tenderer,price\nx,100\ny,110\n", encoding="utf-8")
    (folder / "evaluations.csv").write_text(
        "evaluator,tenderer,criterion,score,justification\nann,x,q,6,ok\nann,y,q,7,ok\n", encoding="utf-8")
    return tmp_path / "case"


def test_tie_is_explicit(tmp_path):
    ev = evaluate(load_competition(_two_tenderers(tmp_path, "none"), "t"))
    assert list(ev.table["rank"]) == [1, 1]
    assert ev.winner is None
    assert any("no tie-break rule" in t for t in ev.ties)


def test_tie_broken_by_price(tmp_path):
    ev = evaluate(load_competition(_two_tenderers(tmp_path, "price"), "t"))
    assert ev.winner == "x"
    assert any("lowest price" in t for t in ev.ties)


def test_bad_evaluations_each_one_line(tmp_path):
    case = _two_tenderers(tmp_path, "none")
    (case / "tenders" / "t" / "evaluations.csv").write_text(
        "evaluator,tenderer,criterion,score,justification\n"
        "ann,x,q,11,too high\nann,z,q,5,unknown tenderer\nann,x,price,5,price scored\nann,y,qq,5,typo\n",
        encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_competition(case, "t")
    text = str(err.value)
    assert "row 2, column 'score': 11 is outside the scale of 'q' (give a score from 0 to 10)" in text
    assert "row 3, column 'tenderer': unknown tenderer 'z'" in text
    assert "row 4, column 'criterion': 'price' is the price criterion" in text
    assert "row 5, column 'criterion': unknown quality criterion 'qq' (did you mean 'q'?)" in text


def test_incomplete_and_duplicate_scores(tmp_path):
    case = _two_tenderers(tmp_path, "none")
    (case / "tenders" / "t" / "evaluations.csv").write_text(
        "evaluator,tenderer,criterion,score,justification\nann,x,q,6,a\nann,x,q,7,b\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_competition(case, "t")
    text = str(err.value)
    assert "evaluator 'ann' scores 'x' on 'q' twice (first on row 2)" in text
    assert "evaluator 'ann': no score for tenderer 'y' on 'q'" in text


def test_bad_price_and_model(tmp_path):
    case = _two_tenderers(tmp_path, "none")
    (case / "tenders" / "t" / "tenders.csv").write_text("tenderer,price\nx,-5\ny,abc\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_competition(case, "t")
    assert "row 2, column 'price': -5 is not above zero" in str(err.value)
    assert "row 3, column 'price': 'abc' is not a number" in str(err.value)
    model = case / "tenders" / "t" / "model.yaml"
    model.write_text(model.read_text().replace("weight: 50, price_model", "weight: 50, price_model: {kind: cheap}, x"))
    with pytest.raises(InputError):
        load_competition(case, "t")


def test_weights_and_priority_must_agree():
    base = {"id": "m", "title": {"nb": "M", "en": "M"}, "criteria": [
        {"id": "price", "label": {"nb": "P", "en": "P"}, "kind": "price", "weight": 30, "priority": 1,
         "price_model": {"kind": "linear"}},
        {"id": "q", "label": {"nb": "Q", "en": "Q"}, "kind": "quality", "weight": 70, "priority": 2}]}
    with pytest.raises(ValueError, match="priority 1 but a lower weight"):
        EvaluationModel.model_validate(base)


def test_totals_vectorised_over_fields():
    model = load_competition(CASE, COMP).model
    rng = np.random.default_rng(1)
    prices = rng.uniform(1000, 3000, size=(7, 5))
    quality = rng.uniform(0, 10, size=(7, 5, 4))
    many = totals(model, prices, quality)
    for f in range(7):
        np.testing.assert_allclose(many[f], totals(model, prices[f], quality[f]), atol=1e-12)


def test_cli_evaluate(capsys):
    assert main(["tender", str(CASE), "--competition", COMP]) == 0
    out = capsys.readouterr().out
    assert "Winner: supplier-a" in out
    assert "removing supplier-d: supplier-a ahead of supplier-b -> behind" in out
    assert "evaluators disagree on 'supplier-c' / 'implementation'" in out


def test_cli_unknown_competition(capsys):
    assert main(["tender", str(CASE), "--competition", "dialogue-final"]) == 2
    err = capsys.readouterr().err
    assert "no competition 'dialogue-final'" in err and "did you mean 'dialogue-final-round'?" in err


def test_cli_json(capsys):
    import json

    assert main(["tender", "evaluate", str(CASE), "--competition", COMP, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["winner"] == "supplier-a"
    assert data["paradox"][0]["tender"] == "supplier-d"



def test_row_order_does_not_matter(tmp_path):
    import shutil

    target = tmp_path / "case"
    shutil.copytree(CASE / "tenders", target / "tenders")
    folder = target / "tenders" / COMP
    for name in ("tenders.csv", "evaluations.csv"):
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        head = [line for line in lines[:2] if line.startswith("#")] + [lines[len([x for x in lines[:2] if x.startswith("#")])]]
        body = lines[len(head):]
        (folder / name).write_text("\n".join(head + body[::-1]) + "\n", encoding="utf-8")
    a, b = evaluate(load_competition(target, COMP)), evaluate(load_competition(CASE, COMP))
    import pandas as pd

    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.consensus.sort_values(["tenderer", "criterion"]).reset_index(drop=True),
                                  b.consensus.sort_values(["tenderer", "criterion"]).reset_index(drop=True))


def _lifecycle_case(tmp_path: Path, rows: str, base: str = "lifecycle: {base_year: 2027}\n") -> Path:
    case = _two_tenderers(tmp_path, "none")
    folder = case / "tenders" / "t"
    model = folder / "model.yaml"
    model.write_text(model.read_text().replace("tie_break: none\n", "tie_break: none\n" + base))
    (folder / "tenders.csv").write_text("tenderer,price\nx,\ny,\n", encoding="utf-8")
    (folder / "lifecycle.csv").write_text("tenderer,year,amount,item\n" + rows, encoding="utf-8")
    return case


def test_lifecycle_cost_is_the_present_value(tmp_path):
    # 4 % a year. x: 100 now + 104 next year = 100 + 100 = 200; y: 50 now + 160*1.04^2 in two years = 210
    rows = "x,2027,100,licence\nx,2028,104,operation\ny,2027,50,licence\ny,2029,173.056,operation\n"
    ev = evaluate(load_competition(_lifecycle_case(tmp_path, rows), "t"))
    t = ev.table.set_index("tenderer")
    assert t.loc["x", "evaluated_price"] == pytest.approx(200.0, abs=1e-9)
    assert t.loc["y", "evaluated_price"] == pytest.approx(210.0, abs=1e-9)
    assert t.loc["y", "price"] == pytest.approx(10 - 10 * 10 / 200, abs=1e-9)


def test_lifecycle_problems(tmp_path):
    rows = "x,2026,100,too early\nz,2027,5,unknown\n"
    with pytest.raises(InputError) as err:
        load_competition(_lifecycle_case(tmp_path, rows), "t")
    text = str(err.value)
    assert "row 2, column 'year': 2026 is not a whole year from 2027 on" in text
    assert "row 3, column 'tenderer': unknown tenderer 'z'" in text
    assert "tenderer 'y': has no rows" in text


def test_lifecycle_needs_the_model_key(tmp_path):
    with pytest.raises(InputError, match="has no 'lifecycle' key"):
        load_competition(_lifecycle_case(tmp_path, "x,2027,1,a\ny,2027,1,a\n", base=""), "t")


def test_cli_misspelt_action_and_missing_case(capsys):
    assert main(["tender", "evalute", str(CASE)]) == 2
    assert "unknown action 'evalute' (did you mean 'evaluate'?)" in capsys.readouterr().err
    assert main(["tender", "no/such/case"]) == 2
    assert "no/such/case: no such case folder" in capsys.readouterr().err
