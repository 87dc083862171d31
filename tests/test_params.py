"""Report parameters: the schema, the scenario check before a run, the check inside a notebook."""

from __future__ import annotations

from pathlib import Path

import pytest

import procurement
from procurement.case.errors import InputError
from procurement.case.models import Scenario
from procurement.report.params import (
    NOTEBOOKS,
    PARAMETERS,
    ParameterError,
    check_namespace,
    check_scenario_data,
    defaults,
    namespace_parameters,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"

GOOD = {"name": "default", "decision": "contract-strategy", "profile": None, "methods": ["wsm", "topsis"],
        "samples": 10000, "seed": 1, "language": "nb"}


def messages(err: InputError) -> list[str]:
    return [str(p) for p in err.problems]


def test_every_parameter_is_a_scenario_key():
    fields = set(Scenario.model_fields)
    assert set(PARAMETERS) - {"scenario"} <= fields


def test_defaults_agree_with_the_scenario_model():
    for name, field in Scenario.model_fields.items():
        if name in PARAMETERS and name != "case" and not field.is_required():
            default = field.get_default(call_default_factory=True)
            if name == "uncertainty":  # null in a notebook means the model's default block
                assert PARAMETERS[name].default is None and default.model_dump() == {
                    "weights": "bounds", "spread": 0.2, "scores": "triangular", "mixture": None}
                continue
            assert PARAMETERS[name].default == default, name


def test_good_scenario_passes():
    check_scenario_data(GOOD, "s.yaml")


def test_misspelt_key_gets_did_you_mean_and_the_valid_list():
    with pytest.raises(InputError) as e:
        check_scenario_data({**GOOD, "seeed": 3}, "s.yaml")
    (msg,) = messages(e.value)
    assert "s.yaml: key 'seeed': unknown key" in msg
    assert "did you mean 'seed'?" in msg
    assert "valid keys:" in msg and "samples" in msg


@pytest.mark.parametrize(
    "key, value, words",
    [
        ("samples", "many", "'many' (a text) is not a whole number"),
        ("samples", 0, "too small"),
        ("samples", True, "true/false"),
        ("seed", 1.5, "decimal number"),
        ("methods", "wsm", "is not a list of names"),
        ("methods", [], "is not a list"),
        ("language", "de", "'de' is not allowed"),
        ("decision", 3, "is not a text"),
        ("notebooks", "02-ranking", "not a list of notebook names"),
    ],
)
def test_wrong_types_are_named(key, value, words):
    with pytest.raises(InputError) as e:
        check_scenario_data({**GOOD, key: value}, "s.yaml")
    (msg,) = messages(e.value)
    assert f"key '{key}'" in msg and words in msg


def test_missing_decision_and_every_problem_at_once():
    data = {k: v for k, v in GOOD.items() if k != "decision"}
    data.update(sampels=3, language="xx")
    with pytest.raises(InputError) as e:
        check_scenario_data(data, "s.yaml")
    text = "\n".join(messages(e.value))
    assert "sampels" in text and "language" in text and "key 'decision': required key is missing" in text


def test_namespace_ignores_modules_functions_and_private_names():
    import os

    ns = {"os": os, "print_it": print, "_": 3, "In": [], "Out": {}, "decision": "d", "get_ipython": lambda: None}
    assert namespace_parameters(ns) == {"decision": "d"}


def test_check_namespace_fills_defaults():
    got = check_namespace({"decision": "x", "language": "en"}, "02-ranking")
    assert got["decision"] == "x" and got["language"] == "en"
    assert got["methods"] == PARAMETERS["methods"].default
    assert set(got) == set(NOTEBOOKS["02-ranking"])


def test_check_namespace_stops_on_unknown_name_listing_valid_ones():
    with pytest.raises(ParameterError) as e:
        check_namespace({"decision": "x", "langauge": "en"}, "02-ranking")
    (msg,) = messages(e.value)
    assert "parameter 'langauge'" in msg and "did you mean 'language'?" in msg
    assert "valid: case, scenario, decision, language, profile, weights, methods" in msg


def test_check_namespace_rejects_a_parameter_of_another_notebook():
    with pytest.raises(ParameterError) as e:
        check_namespace({"samples": 10}, "01-inputs")
    assert "parameter 'samples': unknown parameter" in messages(e.value)[0]


def test_check_namespace_rejects_wrong_type():
    with pytest.raises(ParameterError) as e:
        check_namespace({"seed": "42"}, "03-sensitivity")
    assert "parameter 'seed'" in messages(e.value)[0] and "whole number" in messages(e.value)[0]


def _notebooks():
    """The report notebooks (00- is the interactive workbench, with its own tests)."""
    return sorted(p for p in NOTEBOOK_DIR.glob("[0-9][0-9]-*.ipynb") if not p.name.startswith("00-"))


@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: p.stem)
def test_parameters_cell_matches_the_schema(path):
    import papermill

    declared = papermill.inspect_notebook(str(path))
    assert path.stem in NOTEBOOKS, f"add {path.stem} to procurement.report.params.NOTEBOOKS"
    assert list(declared) == list(NOTEBOOKS[path.stem])
    want = defaults(path.stem)
    constants = {n: getattr(procurement, n) for n in ("DEFAULT_SEED", "DEFAULT_SAMPLES", "DEFAULT_METHODS")}
    for name, info in declared.items():  # a default is a literal or the scenario model's constant the cell imports
        assert eval(info["default"], constants) == want[name], name  # noqa: S307 - defaults of our own notebooks


@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: p.stem)
def test_first_code_cell_after_parameters_checks_them(path):
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert f'start(globals(), "{path.stem}")' in code[1].source


def test_workbench_parameters_cell_matches_the_schema():
    """Notebook 00 is checked like the others: its parameters cell declares exactly NOTEBOOKS['00-workbench']."""
    import papermill

    path = NOTEBOOK_DIR / "00-workbench.ipynb"
    declared = papermill.inspect_notebook(str(path))
    assert list(declared) == list(NOTEBOOKS["00-workbench"])
    want = defaults("00-workbench")
    assert want["methods"] == ["wsm"] and want["scenario"] == "workbench" and want["samples"] == 10_000
    for name, info in declared.items():
        assert eval(info["default"]) == want[name], name  # noqa: S307 - literal defaults of our own notebook


@pytest.mark.parametrize(
    "values, words",
    [
        ({"sampels": 500}, ["parameter 'sampels': unknown parameter", "did you mean 'samples'?"]),
        ({"samples": "lots"}, ["parameter 'samples'", "'lots' (a text) is not a whole number ≥ 1"]),
        ({"samples": 10**12}, ["parameter 'samples'", "too large"]),
    ],
)
def test_workbench_parameters_give_one_clear_problem(values, words):
    with pytest.raises(ParameterError) as e:
        check_namespace(values, "00-workbench")
    (line,) = messages(e.value)
    for w in words:
        assert w in line


def test_workbench_defaults_fill_in():
    got = check_namespace({"samples": 500}, "00-workbench")
    assert got["samples"] == 500 and got["methods"] == ["wsm"] and got["scenario"] == "workbench"
