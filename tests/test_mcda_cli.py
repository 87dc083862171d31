"""`procurement rank` and `procurement sensitivity` print the result's to_dict(), byte for byte.

The command line builds an Analysis and prints its result through one helper (`print_json`); here the same
analysis is built through the public API and its result printed by that helper: the bytes must be equal. The
commands' modules import nothing of the package but the public API, procurement.text and procurement.cli.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

import procurement as pw
from procurement.cli import main
from procurement.cli._common import print_json

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"


def _cli(argv: list[str], capsys) -> str:
    assert main(argv) == 0
    return capsys.readouterr().out


def _printed(result, capsys) -> str:
    capsys.readouterr()
    print_json(result.to_dict())
    return capsys.readouterr().out


@pytest.fixture(scope="module")
def case():
    return pw.load_case(CASE)


def test_rank_json_is_the_rankings_to_dict(case, capsys):
    out = _cli(["rank", str(CASE), "--scenario", "default", "--method", "all", "--format", "json"], capsys)
    result = pw.Analysis(case, "default", methods=list(pw.METHODS)).rankings()
    assert out == _printed(result, capsys)
    data = json.loads(out)
    assert data["methods"] == list(pw.METHODS) and data["scenario"] == "default"
    assert [a["key"] for a in data["assumptions"]] == ["mcda.methods", "mcda.weights.file", "mcda.screening"]


def test_rank_json_with_every_profile_is_the_rankings_to_dict(case, capsys):
    out = _cli(["rank", str(CASE), "--decision", "contract-strategy", "--method", "wsm,topsis", "--profile", "all",
                "--format", "json"], capsys)
    a = pw.Analysis(case, None, decision="contract-strategy", methods=["wsm", "topsis"], language="en")
    result = a.rankings(profiles="all")
    assert out == _printed(result, capsys)
    assert set(json.loads(out)["stakeholders"]) == {"wsm", "topsis"}


def test_sensitivity_json_is_the_sensitivity_to_dict(case, capsys):
    out = _cli(["sensitivity", str(CASE), "--scenario", "default", "--samples", "3000", "--format", "json"], capsys)
    result = pw.Analysis(case, "default", samples=3000).sensitivity()
    assert out == _printed(result, capsys)
    data = json.loads(out)
    assert data["smaa"]["samples"] == 3000 and data["smaa"]["seed"] == pw.DEFAULT_SEED
    keys = [a["key"] for a in data["assumptions"]]
    assert {"smaa.samples", "smaa.weights", "smaa.scores", "smaa.method"} <= set(keys)
    spread = next(a for a in data["assumptions"] if a["key"] == "smaa.weights")
    assert spread["spread"] == case.scenario("default").uncertainty.spread


def test_sensitivity_flags_reach_the_description(case, capsys):
    """A flag changes the analysis, and the printed description says so: the sentences come from the result."""
    out = _cli(["sensitivity", str(CASE), "--decision", "contract-strategy", "--samples", "500", "--spread", "0.35",
                "--distribution", "pert"], capsys)
    assert "±35%" in out and "PERT" in out and "500 draws" in out


FACES_MAY_IMPORT = ("procurement", "procurement.text", "procurement.plots", "procurement.cli")


@pytest.mark.parametrize("command", ["rank", "rankings", "sensitivity"])
def test_the_commands_import_only_the_public_api(command):
    """No import of a domain module (procurement.mcda, .uncertainty, .case, ...): the command asks the engine."""
    tree = ast.parse((ROOT / "src" / "procurement" / "cli" / f"{command}.py").read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    ours = [n for n in names if n == "procurement" or n.startswith("procurement.")]
    assert ours and all(n == "procurement" or n.startswith(FACES_MAY_IMPORT[1:]) for n in ours), ours
