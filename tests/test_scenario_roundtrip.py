"""A scenario saved from the workbench with slider weights: `procurement run` reproduces its numbers."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from conftest import EXAMPLE_CASE, ROOT
from procurement.app import scenario_io
from procurement.cli import main
from procurement.case.errors import InputError
from procurement import load_case
from procurement.mcda.ranking import rank
from procurement.app.widgets import Context, State, compute


@pytest.fixture
def case_copy(tmp_path):
    copy = tmp_path / "case"
    shutil.copytree(EXAMPLE_CASE, copy)
    shutil.copytree(ROOT / "criteria", tmp_path / "criteria")
    return copy


def slider_weights(decision) -> dict[str, float]:
    """The criteria file's weights with cost and municipal autonomy pushed up, as an advisor might."""
    w = {c.id: c.weight for c in decision.criteria}
    w["cost-pv"] = 40
    w["municipal-autonomy"] = 30
    return w


def test_saved_weights_are_reproduced_by_the_runner(case_copy, tmp_path, capsys):
    case = load_case(case_copy)
    decision = case.decision("contract-strategy")
    weights = slider_weights(decision)
    path = scenario_io.save(case, name="cost-first", decision="contract-strategy", methods=["wsm"], weights=weights,
                            language="en")
    saved = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert saved["weights"]["cost-pv"] == 40

    # what the workbench shows for these settings
    context = Context.load(case_copy, "contract-strategy")
    shown = compute(State.make(case_copy, decision="contract-strategy", methods=["wsm"], weights=weights), context,
                    what_it_takes=False)
    expected = rank(load_case(case_copy).decision("contract-strategy"), "wsm", weights=pd_series(weights)).order
    assert shown.ranking.order == expected
    assert expected[0] != rank(decision, "wsm").winner  # the sliders really changed the winner

    # the loader accepts the saved file, and the runner reproduces the ranking
    assert load_case(case_copy).scenarios["cost-first"].weights == saved["weights"]
    out = tmp_path / "reports"
    assert main(["run", str(path), "--notebooks", "02-ranking", "--out", str(out), "--no-progress"]) == 0
    (run_dir,) = [p for p in out.iterdir() if p.is_dir()]
    table = json.loads((run_dir / "tables" / "02-ranking--01-ranking.json").read_text(encoding="utf-8"))["table"]
    rows = [dict(zip(table["columns"], r, strict=True)) for r in table["data"]]
    ranked = sorted((r for r in rows if r["rank_wsm"] is not None), key=lambda r: r["rank_wsm"])
    assert [r["option"] for r in ranked] == expected
    html = (run_dir / "02-ranking.html").read_text(encoding="utf-8")
    assert "Weights set in the scenario file" in html


def pd_series(weights):
    import pandas as pd

    return pd.Series(weights, dtype=float)


def test_scenario_weights_with_unknown_or_missing_criteria_are_refused(case_copy, capsys):
    (case_copy / "scenarios" / "odd.yaml").write_text(
        "name: odd\ndecision: contract-strategy\nweights: {legal-robustnes: 1, cost-pv: 2}\n", encoding="utf-8"
    )
    assert main(["validate", str(case_copy)]) == 2
    err = capsys.readouterr().err
    assert "odd.yaml: key 'weights.legal-robustnes': unknown criterion" in err and "did you mean 'legal-robustness'" in err
    assert "no weight for criteria" in err


def test_negative_scenario_weight_is_refused(case_copy):
    (case_copy / "scenarios" / "neg.yaml").write_text("name: neg\ndecision: contract-strategy\nweights: {cost-pv: -1}\n",
                                                     encoding="utf-8")
    with pytest.raises(InputError, match="below zero"):
        load_case(case_copy)
