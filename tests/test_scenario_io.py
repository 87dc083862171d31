"""Saving the workbench's settings as a scenario file that loads back and that the runner accepts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from procurement.app import scenario_io
from procurement.case.errors import InputError
from procurement.case.loader import load_case
from procurement.case.models import Scenario

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "national-municipal-solution"
DECISION = "contract-strategy"


@pytest.fixture
def example(tmp_path) -> Path:
    """A copy of the example case (data/<case> with criteria/ beside data/, as in the project)."""
    case = tmp_path / "data" / EXAMPLE.name
    shutil.copytree(EXAMPLE, case)
    shutil.copytree(ROOT / "criteria", tmp_path / "criteria")
    return case


def settings(**kw):
    base = dict(name="ks-view", decision=DECISION, profile="ks", methods=["wsm"], samples=10_000, seed=1, language="en")
    base.update(kw)
    return base


def test_written_scenario_validates_and_loads_back(example):
    case = load_case(example)
    path = scenario_io.save(case, **settings())
    assert path == example / "scenarios" / "ks-view.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data == {"name": "ks-view", "decision": DECISION, "profile": "ks", "methods": ["wsm"], "samples": 10_000, "seed": 1,
                    "language": "en"}
    Scenario.model_validate(data)
    again = load_case(example)
    assert again.scenarios["ks-view"].profile == "ks"
    assert path.read_text(encoding="utf-8").startswith("# Saved from the workbench")


def test_the_runner_accepts_the_file(example):
    runner = pytest.importorskip("procurement.report.plan")
    path = scenario_io.save(load_case(example), **settings(profile=None, methods=["wsm", "topsis"]))
    plan = runner.prepare(path, notebooks_dir=ROOT / "notebooks", root=example.parents[1])
    assert plan is not None


def test_existing_file_is_never_overwritten_without_asking(example):
    case = load_case(example)
    path = scenario_io.save(case, **settings())
    before = path.read_text(encoding="utf-8")
    with pytest.raises(scenario_io.ScenarioExists) as err:
        scenario_io.save(case, **settings(seed=2))
    assert "exists already" in str(err.value) and err.value.path == path
    assert path.read_text(encoding="utf-8") == before
    scenario_io.save(case, overwrite=True, **settings(seed=2))
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["seed"] == 2
    assert not list(path.parent.glob("*.tmp"))


def test_the_bundled_scenarios_are_protected_too(example):
    case = load_case(example)
    assert "default" in case.scenarios
    with pytest.raises(scenario_io.ScenarioExists):
        scenario_io.save(case, **settings(name="default"))


@pytest.mark.parametrize("name, hint", [("KS – høy vekt", "ks-hoy-vekt"), ("", "type a name"), ("../evil", "evil")])
def test_bad_names_are_refused_with_a_suggestion(example, name, hint):
    with pytest.raises(InputError) as err:
        scenario_io.save(load_case(example), **settings(name=name))
    assert hint in str(err.value)
    assert not list((example / "scenarios").glob("*evil*"))


def test_unknown_profile_method_or_decision_are_refused(example):
    case = load_case(example)
    with pytest.raises(InputError, match="did you mean 'ks'"):
        scenario_io.save(case, **settings(profile="kss"))
    with pytest.raises(InputError, match="unknown method"):
        scenario_io.save(case, **settings(methods=["topsiss"]))
    with pytest.raises(InputError, match="unknown decision"):
        scenario_io.save(case, **settings(decision="nope"))


def test_weights_equal_to_the_profile_are_saved_as_the_profile(example):
    case = load_case(example)
    dec = case.decision(DECISION)
    same = {c: 3 * v for c, v in dec.profiles["ks"].items()}  # scaled: the same after normalising
    data = scenario_io.scenario_data(case, **settings(weights=same))
    assert "weights" not in data and data["profile"] == "ks"


def test_all_zero_or_negative_weights_are_refused(example):
    case = load_case(example)
    ids = case.decision(DECISION).criterion_ids
    with pytest.raises(InputError, match="all weights are zero"):
        scenario_io.scenario_data(case, **settings(weights={c: 0 for c in ids}))
    with pytest.raises(InputError, match="below zero"):
        scenario_io.scenario_data(case, **settings(weights={**{c: 1 for c in ids}, ids[0]: -1}))
    with pytest.raises(InputError, match="unknown criterion"):
        scenario_io.scenario_data(case, **settings(weights={"nope": 1}))


def test_changed_weights(example):
    case = load_case(example)
    ids = case.decision(DECISION).criterion_ids
    custom = {c: i + 1 for i, c in enumerate(ids)}
    path = scenario_io.save(case, **settings(weights=custom))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["weights"] == custom
    assert load_case(example).scenarios["ks-view"].weights is not None


def test_slugify_and_check_name():
    assert scenario_io.slugify("Bærum: lav risiko!") == "baerum-lav-risiko"
    assert scenario_io.check_name("  ok-1 ") == "ok-1"


def test_the_workbench_state_is_written_as_the_scenario_model_dumps_it(example):
    """Every key the workbench showed is in the file (uncertainty included), nothing it did not set (no case, no
    notebooks, no empty description), and the file loads back as the same scenario."""
    from procurement.app.state import State

    case = load_case(example)
    state = State.make(example, decision=DECISION, profile="ks", samples=2000, seed=5, language="en").with_spread(0.3)
    path = scenario_io.save(case, state.scenario, name="from-the-bench")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data == {"name": "from-the-bench", "decision": DECISION, "profile": "ks", "methods": ["wsm"], "samples": 2000,
                    "seed": 5, "language": "en", "uncertainty": {"weights": "bounds", "spread": 0.3, "scores": "triangular"}}
    assert list(data) == [k for k in Scenario.model_fields if k in data]  # the model's order, as docs/formats.md
    loaded = load_case(example).scenarios["from-the-bench"]
    assert loaded == state.scenario.model_copy(update={"name": "from-the-bench"})
