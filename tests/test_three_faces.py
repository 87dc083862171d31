"""The three faces give the same numbers for the same scenario file.

One scenario (a stakeholder profile, the value tree, PERT scores, a wider
weight spread, its own seed) goes through the command line (`rank` and
`sensitivity` as JSON), the report (`procurement run`, the tables the
notebooks publish under ``tables/``) and the workbench (the state its
parameters give and the results it computes). Rankings, weights and SMAA
rank acceptabilities must agree between all three.

And the criteria file's weights mean one thing everywhere: with weighted
groups in the value tree, the weight table of the report, the weights the
ranking uses and the workbench's weights are the weights multiplied down the
tree, checked against a hand computation.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from procurement.app.state import compute
from procurement.app.widgets import Workbench
from procurement.cli import main
from procurement import Analysis

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"

SCENARIO = {
    "name": "three-faces",
    "case": str(CASE),
    "decision": "contract-strategy",
    "profile": "ks",
    "methods": ["topsis", "wsm"],
    "samples": 3000,
    "seed": 7,
    "language": "en",
    "uncertainty": {"weights": "bounds", "spread": 0.35, "scores": "pert"},
    "notebooks": ["01-inputs", "02-ranking", "03-sensitivity"],
}


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("faces") / "three-faces.yaml"
    path.write_text(yaml.safe_dump(SCENARIO), encoding="utf-8")
    return path


def _cli_json(capsys, *argv: str) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def report_tables(scenario_file, tmp_path_factory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("report")
    assert main(["run", str(scenario_file), "--out", str(out), "--no-progress"]) == 0
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    tables = {}
    for p in (folder / "tables").glob("*.json"):
        payload = json.loads(p.read_text(encoding="utf-8"))
        t = payload["table"]
        tables[payload["name"]] = [dict(zip(t["columns"], row, strict=True)) for row in t["data"]]
    return tables


@pytest.fixture(scope="module")
def workbench_results():
    params = {k: v for k, v in SCENARIO.items() if k not in ("name", "notebooks")}
    wb = Workbench.from_parameters(scenario=SCENARIO["name"], env={}, **params)
    return wb, compute(wb.state, wb.context)


def test_the_same_ranking_in_terminal_report_and_workbench(scenario_file, capsys, report_tables, workbench_results):
    cli = _cli_json(capsys, "rank", str(CASE), "--scenario", str(scenario_file), "--format", "json")
    first = next(r for r in cli["results"] if r["method"] == "topsis")
    cli_ranks = {r["option"]: r["rank"] for r in first["ranking"]}
    cli_scores = {r["option"]: r["score"] for r in first["ranking"]}
    report = {row["option"]: row for row in report_tables["ranking"] if row.get("rank_topsis") is not None}
    report_ranks = {o: row["rank_topsis"] for o, row in report.items()}
    report_scores = {o: row["score_topsis"] for o, row in report.items()}
    _, res = workbench_results
    assert res.state.method == "topsis"  # the scenario's first method
    wb_ranks = res.ranking.table["rank"].to_dict()
    assert cli_ranks == report_ranks == wb_ranks
    for o, s in cli_scores.items():
        assert report_scores[o] == pytest.approx(s, rel=1e-12)
        assert res.ranking.table.loc[o, "score"] == pytest.approx(s, rel=1e-12)
    # the profile's ranking is not the criteria file's: the scenario really reached every face
    default = _cli_json(capsys, "rank", str(CASE), "--decision", "contract-strategy", "--method", "topsis", "--format", "json")
    assert {r["option"]: r["score"] for r in default["results"][0]["ranking"]} != cli_scores


def test_the_same_weights_in_terminal_report_and_workbench(scenario_file, capsys, report_tables, workbench_results):
    cli = _cli_json(capsys, "rank", str(CASE), "--scenario", str(scenario_file), "--format", "json")
    report = {row["criterion"]: row["weight"] for row in report_tables["criteria"]}
    _, res = workbench_results
    assert set(cli["weights"]) == set(report) == set(res.weights.index)
    for c, w in cli["weights"].items():
        assert report[c] == pytest.approx(w, rel=1e-12)
        assert res.weights[c] == pytest.approx(w, rel=1e-12)
    # KS's profile from profiles.csv, normalised: not the criteria file's weights
    ks = _ks_profile()
    for c, w in ks.items():
        assert cli["weights"][c] == pytest.approx(w, rel=1e-12)


def _ks_profile() -> dict[str, float]:
    import csv

    rows = [
        r
        for r in csv.DictReader((CASE / "profiles.csv").open(encoding="utf-8"))
        if r["decision"] == "contract-strategy" and r["group"] == "ks"
    ]
    total = sum(float(r["weight"]) for r in rows)
    return {r["criterion"]: float(r["weight"]) / total for r in rows}


def test_the_same_smaa_acceptabilities_in_terminal_report_and_workbench(scenario_file, capsys, report_tables, workbench_results):
    cli = _cli_json(capsys, "sensitivity", str(CASE), "--scenario", str(scenario_file), "--format", "json")
    smaa = cli["smaa"]
    assert smaa["method"] == "topsis" and smaa["samples"] == 3000 and smaa["seed"] == 7
    assert smaa["weight_model"]["model"] == "bounds" and smaa["weight_model"]["spread"] == 0.35
    assert smaa["score_model"]["distribution"] == "pert"
    _, res = workbench_results
    m = len(smaa["options"])
    for row in report_tables["acceptability"]:
        o = row["option"]
        cli_row = smaa["acceptability"][o]
        rep_row = [row[f"rank {r}"] for r in range(1, m + 1)]
        wb_row = res.acceptability.loc[o].tolist()
        assert np.allclose(rep_row, cli_row, rtol=0, atol=1e-12), o
        assert np.allclose(wb_row, cli_row, rtol=0, atol=1e-12), o
    assert len(report_tables["acceptability"]) == m


def test_a_saved_workbench_scenario_reproduces_the_workbench_in_the_report(tmp_path):
    """Save as scenario writes everything the workbench used; `procurement run` gives its SMAA shares."""
    case = tmp_path / "case"
    shutil.copytree(CASE, case)
    wb = Workbench.from_parameters(
        case=str(case), decision="contract-strategy", methods=["wsm"], samples=2000, seed=11, language="en", env={}
    )
    weights = {c: float(i % 4 + 1) for i, c in enumerate(wb.context.decision.criterion_ids)}
    wb.state = wb.state.with_spread(0.4).with_weights(weights).with_(name="saved")
    res = wb.compute(what_it_takes=False)
    path = wb.save()
    assert path is not None and path.exists()
    saved = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert saved["uncertainty"] == {"weights": "bounds", "spread": 0.4, "scores": "triangular"}
    out = tmp_path / "out"
    assert main(["run", str(path), "--notebooks", "03-sensitivity", "--out", str(out), "--no-progress"]) == 0
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    payload = json.loads(next((folder / "tables").glob("*acceptability.json")).read_text(encoding="utf-8"))
    t = payload["table"]
    rows = [dict(zip(t["columns"], r, strict=True)) for r in t["data"]]
    m = len(rows)
    for row in rows:
        assert np.allclose(
            [row[f"rank {r}"] for r in range(1, m + 1)], res.acceptability.loc[row["option"]].tolist(), rtol=0, atol=1e-12
        )


def test_weighted_value_tree_means_the_same_weights_everywhere(tmp_path, capsys):
    """Groups quality and economy weigh 1 : 1; legal 2 and fit 1 inside quality; cost alone in economy.

    By hand: legal = 1/2 · 2/3 = 1/3, fit = 1/2 · 1/3 = 1/6, cost = 1/2 · 1 = 1/2. A flat normalisation
    of the criterion weights (2, 1, 1) would give 1/2, 1/4, 1/4 instead.
    """
    from conftest import CRITERIA, write_case

    from procurement import load_case
    from procurement.report.notebook import criteria_table, start

    tree = CRITERIA.replace(
        '    label: {nb: "Kvalitet", en: "Quality"}\n', '    label: {nb: "Kvalitet", en: "Quality"}\n    weight: 1\n'
    )
    tree = tree.replace(
        '    label: {nb: "Økonomi", en: "Economy"}\n', '    label: {nb: "Økonomi", en: "Economy"}\n    weight: 1\n'
    )
    assert tree.count("    weight: 1\n") >= 2
    case_dir = write_case(tmp_path, criteria__pick_yaml=tree)
    hand = {"legal": 1 / 3, "fit": 1 / 6, "cost": 1 / 2}

    case = load_case(case_dir)
    decision = case.decision("pick")
    report = start({"case": str(case_dir), "decision": "pick", "language": "en", "profile": None, "weights": None}, "01-inputs")
    table = criteria_table(report.decision, report.weights, "en")
    cli = _cli_json(capsys, "rank", str(case_dir), "--decision", "pick", "--format", "json")
    wb = Workbench.from_parameters(case=str(case_dir), decision="pick", env={})
    res = compute(wb.state, wb.context)
    for c, w in hand.items():
        assert decision.weights[c] == pytest.approx(w)
        assert Analysis(case, decision="pick").weights[c] == pytest.approx(w)
        assert table.loc[c, "weight"] == pytest.approx(w)
        assert cli["weights"][c] == pytest.approx(w)
        assert dict(zip(cli["results"][0]["inputs"]["criteria"], cli["results"][0]["inputs"]["weights"], strict=True))[
            c
        ] == pytest.approx(w)
        assert res.weights[c] == pytest.approx(w)
