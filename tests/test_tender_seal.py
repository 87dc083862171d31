"""Sealing the evaluation model before opening: a changed model is refused, naming what changed."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from procurement.case.errors import InputError
from procurement.cli import main
from procurement.tender import load_competition, seal

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"
COMP = "dialogue-final-round"


@pytest.fixture
def case(tmp_path) -> Path:
    target = tmp_path / "case"
    shutil.copytree(CASE / "tenders", target / "tenders")
    (target / "tenders" / COMP / "seal.json").unlink()
    return target


def _model(case: Path) -> Path:
    return case / "tenders" / COMP / "model.yaml"


def test_seal_records_hashes(case):
    import hashlib

    comp = load_competition(case, COMP)
    path = seal.seal(comp, now=datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
    record = json.loads(path.read_text())
    assert record["model_sha256"] == hashlib.sha256(_model(case).read_bytes()).hexdigest()
    assert record["sealed_at"] == "2027-03-01T09:00:00+00:00"
    assert record["parameters"]["criteria"][0]["weight"] == 40
    assert seal.status(load_competition(case, COMP)).ok


def test_changed_weight_is_refused_naming_the_change(case, capsys):
    seal.seal(load_competition(case, COMP), now=datetime(2027, 3, 1, tzinfo=UTC))
    text = _model(case).read_text()
    text = text.replace("    weight: 40\n", "    weight: 45\n", 1).replace("kind: linear      #", "kind: proportional #")
    _model(case).write_text(text)
    comp = load_competition(case, COMP)
    with pytest.raises(InputError) as err:
        seal.enforce(comp)
    lines = [str(p) for p in err.value.problems]
    assert any("key 'criteria[price].weight': changed from 40.0 to 45.0" in line for line in lines)
    assert any("key 'criteria[price].price_model.kind': changed from 'linear' to 'proportional'" in line for line in lines)
    # the CLI refuses with exit 2 and the same lines ...
    assert main(["tender", str(case), "--competition", COMP]) == 2
    assert "criteria[price].weight" in capsys.readouterr().err
    # ... or, when allowed, evaluates and warns loudly
    assert main(["tender", str(case), "--competition", COMP, "--allow-changed-model"]) == 0
    err_text = capsys.readouterr().err
    assert "THE EVALUATION MODEL CHANGED AFTER IT WAS SEALED" in err_text and "criteria[price].weight: 40.0 -> 45.0" in err_text


def test_comment_change_is_not_a_parameter_change(case):
    seal.seal(load_competition(case, COMP), now=datetime(2027, 3, 1, tzinfo=UTC))
    _model(case).write_text(_model(case).read_text() + "# a comment added after sealing\n")
    st = seal.enforce(load_competition(case, COMP))
    assert st.file_changed and not st.changes
    assert "no parameter does: its comments or layout changed, or seal.json's model_sha256 was edited" in st.messages()[0]


def test_a_zeroed_model_hash_is_not_called_a_layout_change(case):
    """Issue 26: a zeroed model_sha256 in seal.json was reported as "model.yaml changed ... (comments or layout)",
    although model.yaml had not changed; the message must leave both causes open."""
    import json

    seal.seal(load_competition(case, COMP), now=datetime(2027, 3, 1, tzinfo=UTC))
    path = case / "tenders" / COMP / "seal.json"
    record = json.loads(path.read_text())
    path.write_text(json.dumps({**record, "model_sha256": "0" * 64}))
    (message,) = seal.status(load_competition(case, COMP)).messages()
    assert "seal.json's model_sha256 was edited" in message and "model.yaml changed after sealing" not in message


def test_unsealed_and_late_seal_warn(case):
    comp = load_competition(case, COMP)
    assert "NOT sealed" in seal.status(comp).messages()[0]
    seal.seal(comp, now=datetime(2027, 3, 20, tzinfo=UTC))  # after the opening stated in the model (15 March 2027)
    msgs = seal.status(load_competition(case, COMP)).messages()
    assert any("after the opening time" in m for m in msgs)


def test_resealing_after_opening_needs_force(case):
    comp = load_competition(case, COMP)
    seal.seal(comp)
    with pytest.raises(InputError, match="already sealed"):
        seal.seal(comp)
    seal.seal(comp, force=True)


def test_changed_simulation_list_is_named(case):
    seal.seal(load_competition(case, COMP), now=datetime(2027, 3, 1, tzinfo=UTC))
    _model(case).write_text(_model(case).read_text().replace("price_weights: [0.3, 0.4, 0.5, 0.6]", "price_weights: [0.4]"))
    st = seal.status(load_competition(case, COMP))
    assert st.changes == [("simulation.price_weights", [0.3, 0.4, 0.5, 0.6], [0.4])]


def test_validate_reports_competition_problems(tmp_path, capsys):
    """`procurement validate` asks procurement.tender.checks: a changed sealed model and a bad score are lines."""
    from procurement.tender.checks import problems

    data = tmp_path / "data" / "case"
    shutil.copytree(CASE, data)
    shutil.copytree(ROOT / "criteria", tmp_path / "criteria")
    folder = data / "tenders" / COMP
    model = folder / "model.yaml"
    model.write_text(model.read_text().replace("disagreement: 3 ", "disagreement: 2 "))
    found = [str(p) for p in problems(data)]
    assert any("key 'disagreement': changed from 3.0 to 2.0" in line for line in found)
    ev = folder / "evaluations.csv"
    ev.write_text(ev.read_text().replace("ingrid,supplier-a,usability,5,", "ingrid,supplier-a,usability,15,"))
    found = [str(p) for p in problems(data)]
    assert any("row 3, column 'score': 15 is outside the scale of 'usability'" in line for line in found)
