"""Tender evaluation through the public API (``import procurement as pw``): the CLI prints exactly the result's
``to_dict()``, the results describe the parameters they used (changed values show up in the sentences), and the
engine's defaults and errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import procurement as pw
from procurement.cli import main

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"
COMP = "dialogue-final-round"


def _printed(data: dict) -> str:
    """What `print_json` (procurement.cli._common) writes for `data`: the one JSON helper of the command line."""
    return json.dumps(data, ensure_ascii=False) + "\n"


def test_cli_json_is_to_dict_byte_for_byte(capsys):
    assert main(["tender", "evaluate", str(CASE), "--competition", COMP, "--format", "json"]) == 0
    out = capsys.readouterr().out
    result = pw.evaluate_tender(CASE, COMP)
    assert out == _printed(result.to_dict())
    data = json.loads(out)
    # valid JSON for any reader: the last tenderer has no next one, so its margin is null (was NaN)
    assert data["table"][-1]["tenderer"] == "supplier-e" and data["table"][-1]["margin"] is None
    json.dumps(data, allow_nan=False)
    # totals by hand (tests/test_tender.py::test_example_by_hand): supplier-a 0.4*(10-10*340/1420) + 0.25*6 + ...
    a = 0.4 * (10 - 10 * (1760 - 1420) / 1420) + 0.25 * 6 + 0.15 * 7 + 0.10 * 7 + 0.10 * 6
    assert data["table"][0]["total"] == pytest.approx(a, abs=1e-12)
    keys = [x["key"] for x in data["assumptions"]]
    assert "tender.price.linear" in keys and "tender.seal.unchanged" in keys
    source = next(x for x in data["assumptions"] if x["key"] == "tender.source.linear")
    assert source["verified"] is True and "Regne om pris til poeng" in source["citation"]


def test_cli_simulate_json_is_to_dict_byte_for_byte(capsys):
    assert main(["tender", "simulate", str(CASE), "--competition", COMP, "--fields", "300", "--seed", "11",
                 "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert out == _printed(pw.simulate_tender(CASE, COMP, fields=300, seed=11).to_dict())
    assert json.loads(out)["fields"] == 300 and json.loads(out)["seed"] == 11


def test_the_competition_may_be_left_out_when_the_case_has_one():
    assert pw.tender_competitions(CASE) == [COMP]
    assert pw.evaluate_tender(CASE).to_dict() == pw.evaluate_tender(str(CASE), COMP).to_dict()


def test_analysis_tender_is_the_same_evaluation():
    case = pw.load_case(CASE)
    a = pw.Analysis(case, {"name": "t", "decision": "contract-strategy", "competition": COMP})
    assert a.tender().to_dict() == pw.evaluate_tender(CASE, COMP).to_dict()


def test_to_frame_has_the_tenderers_as_index():
    frame = pw.evaluate_tender(CASE, COMP).to_frame()
    assert list(frame.index) == ["supplier-a", "supplier-b", "supplier-d", "supplier-c", "supplier-e"]
    assert frame.loc["supplier-d", "price"] == pytest.approx(10.0)  # the lowest price gets M
    sim = pw.simulate_tender(CASE, COMP, fields=200).to_frame()
    assert sim.index.names == ["model", "price_weight"] and len(sim) == 4 * 4


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "case"
    shutil.copytree(CASE / "tenders", target / "tenders")
    return target


def test_sentences_state_the_parameters_used(tmp_path):
    """Change the price model, a weight, the consensus rule and the simulation: each new value is in the sentences
    (both languages), and none of the old ones."""
    case = _copy(tmp_path)
    folder = case / "tenders" / COMP
    (folder / "seal.json").unlink()
    model = folder / "model.yaml"
    text = model.read_text(encoding="utf-8")
    text = (text.replace("kind: linear      #", "kind: proportional #", 1).replace("    weight: 40\n", "    weight: 50\n", 1)
            .replace("consensus: mean", "consensus: median").replace("fields: 20000", "fields: 1234")
            .replace("seed: 20270101", "seed: 99").replace("estimate: 2000 ", "estimate: 2100 "))
    model.write_text(text, encoding="utf-8")
    result = pw.evaluate_tender(case, COMP)
    nb, en = " ".join(result.describe("nb")), " ".join(result.describe("en"))
    # weights are shares of the sum: 50 / (50 + 25 + 15 + 10 + 10) = 45.45 %, 25 / 110 = 22.73 %
    assert "vekt 45,45\u00a0%, prioritet 1" in nb and "weight 45.45%, priority 1" in en and "vekt 40" not in nb
    assert "weight 22.73%, priority 2" in en
    assert "forholdsmessige modell: M·Pb/Pe" in nb and "proportional model: M·Pb/Pe" in en
    assert "Negative" not in en  # only the linear model without a floor allows negative points
    assert "medianen" in nb and "median" in en
    assert "IKKE forseglet" in nb and "NOT sealed" in en
    sim = pw.simulate_tender(case, COMP)
    nb, en = " ".join(sim.describe("nb")), " ".join(sim.describe("en"))
    assert "1\u00a0234 simulerte konkurranser" in nb and "1,234 simulated competitions" in en
    assert "frø 99." in nb and "seed 99." in en
    assert "2\u00a0100\u00a0MNOK" in nb and "2,100\u00a0MNOK" in en


def test_a_changed_sealed_model_is_named_in_the_sentences(tmp_path):
    case = _copy(tmp_path)
    model = case / "tenders" / COMP / "model.yaml"
    model.write_text(model.read_text(encoding="utf-8").replace("disagreement: 3 ", "disagreement: 2 "), encoding="utf-8")
    with pytest.raises(pw.InputError, match="key 'disagreement': changed from 3.0 to 2.0"):
        pw.evaluate_tender(case, COMP)
    result = pw.evaluate_tender(case, COMP, allow_changed_model=True)
    assert "ENDRET etter forseglingen 01.12.2026: disagreement" in " ".join(result.describe("nb"))
    assert "sprik over 2,0 poeng" in " ".join(result.describe("nb"))


def test_bad_requests_are_one_line_each(tmp_path):
    with pytest.raises(pw.InputError, match="no competition 'dialogue-final'.*did you mean 'dialogue-final-round'"):
        pw.evaluate_tender(CASE, "dialogue-final")
    with pytest.raises(pw.InputError, match="fields: 0 is not a number of fields"):
        pw.simulate_tender(CASE, COMP, fields=0)
    case = _copy(tmp_path)
    shutil.copytree(case / "tenders" / COMP, case / "tenders" / "second")
    with pytest.raises(pw.InputError, match="no competition given.*name one of: dialogue-final-round, second"):
        pw.evaluate_tender(case)
