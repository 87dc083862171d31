"""The workbench: the pure compute function, the widgets without a browser, and the notebook headless.

(nbval runs notebooks/00-workbench.ipynb itself: pyproject's testpaths include notebooks/.)"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from procurement.case.errors import InputError
from procurement import load_case
from procurement.mcda.ranking import rank
from procurement.app.render import ranking_html, sections
from procurement.app.state import Context, State, compute
from procurement.app.widgets import NO_PROFILE, Workbench, has_frontend

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"
NOTEBOOK = ROOT / "notebooks" / "00-workbench.ipynb"
DECISION = "contract-strategy"


@pytest.fixture(scope="module")
def ctx() -> Context:
    return Context(load_case(CASE), DECISION)


@pytest.fixture
def state() -> State:
    return State.make(CASE, decision=DECISION, samples=2000, seed=7, language="en")


def _series(d: dict) -> pd.Series:
    s = pd.Series(d, dtype=float)
    return s / s.sum()


# --- compute -----------------------------------------------------------------


def test_compute_ranks_exactly_as_the_ranking_engine(ctx, state):
    res = compute(state, ctx)
    assert res.ok
    assert res.order == rank(ctx.decision, "wsm").order
    expected = rank(ctx.decision, "wsm").table["score"]
    assert np.allclose(res.ranking.table["score"].loc[expected.index], expected)


@pytest.mark.parametrize("method", ["wsm", "topsis", "wpm"])
def test_custom_weights_give_the_ranking_of_those_weights(ctx, state, method):
    ids = ctx.decision.criterion_ids
    weights = {c: float(i + 1) for i, c in enumerate(ids)}
    res = compute(state.with_(methods=[method], weights=weights), ctx)
    assert res.order == rank(ctx.decision, method, weights=_series(weights)).order
    assert res.weights.sum() == pytest.approx(1.0)


def test_a_profile_gives_the_profiles_ranking(ctx, state):
    res = compute(state.with_(profile="ks"), ctx)
    assert res.order == rank(ctx.decision, "wsm", profile="ks").order


def test_acceptability_without_uncertainty_is_the_ranking(ctx, state):
    """Fixed weights and fixed scores: every draw is the deterministic ranking, so each option holds its rank in all
    of them (a closed form the Monte Carlo must hit exactly)."""
    still = state.with_(uncertainty={"weights": "fixed", "scores": "fixed"})
    res = compute(still, ctx)
    ranks = rank(ctx.decision, "wsm").table["rank"]
    acc = res.acceptability
    for o in acc.index:
        expected = np.zeros(len(acc.columns))
        expected[int(ranks[o]) - 1] = 1.0
        assert acc.loc[o].to_numpy() == pytest.approx(expected), o
    # with uncertainty the shares are proper: rows and columns sum to one, and the leader leads most often
    res = compute(state, ctx)
    acc = res.acceptability
    assert np.allclose(acc.sum(axis=1), 1) and np.allclose(acc.sum(axis=0), 1)
    assert acc[1].idxmax() == res.ranking.winner


def test_same_seed_same_numbers_other_seed_other_numbers(ctx, state):
    a = compute(state, ctx).acceptability
    b = compute(State.make(CASE, decision=DECISION, samples=2000, seed=7, language="en"), ctx).acceptability
    c = compute(state.with_(seed=state.seed + 1), ctx).acceptability
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a.to_numpy(), c.to_numpy())


def test_stability_intervals_hold_the_winner_and_what_it_takes_makes_a_winner(ctx, state):
    res = compute(state, ctx)
    dec = ctx.decision
    w = res.weights
    winner = res.ranking.winner
    for cid, row in res.stability.iterrows():
        assert row["low"] <= row["weight"] <= row["high"]
        mid = (row["low"] + row["high"]) / 2
        rest = w.drop(cid)
        moved = pd.concat([pd.Series({cid: mid}), rest / rest.sum() * (1 - mid)]).loc[dec.criterion_ids]
        assert rank(dec, "wsm", weights=moved).winner == winner
    assert len(res.what_it_takes) == len(res.order) - 1
    checked = 0
    for oid, row in res.what_it_takes.iterrows():
        cid = row["weight_criterion"]
        if not cid:
            continue
        t = row["weight_to"] + 1e-6 * np.sign(row["weight_change"])
        rest = w.drop(cid)
        moved = pd.concat([pd.Series({cid: t}), rest / rest.sum() * (1 - t)]).loc[dec.criterion_ids]
        assert rank(dec, "wsm", weights=moved).winner == oid
        checked += 1
    assert checked >= 2


def test_all_zero_weights_give_a_message_not_an_exception(ctx, state):
    res = compute(state.with_weights({c: 0.0 for c in ctx.decision.criterion_ids}), ctx)
    assert not res.ok and "zero" in res.message
    assert res.ranking is None
    assert "zero" in ranking_html(res)


def test_unknown_method_or_profile_is_an_input_error(ctx, state):
    with pytest.raises(InputError, match="unknown method"):
        compute(state.with_(methods=["wsmm"]), ctx)
    with pytest.raises(InputError, match="profile"):
        compute(state.with_(profile="nobody"), ctx)


def test_a_method_without_fast_path_still_ranks(ctx, state):
    res = compute(state.with_(methods=["vikor"]), ctx)
    assert res.order == rank(ctx.decision, "vikor").order
    assert res.acceptability is None and res.smaa_note
    assert res.stability is None and res.what_it_takes is None


def test_ranking_html_shows_words_and_rounded_numbers(ctx, state):
    res = compute(state, ctx)
    text = ranking_html(res)
    labels = ctx.decision.option_labels("en")
    for oid in res.order:
        assert f'data-option="{oid}"' in text
        assert labels[oid] in text
    import html

    shown = json.loads(html.unescape(text.split("data-weights='")[1].split("'")[0]))
    assert shown == pytest.approx(res.weights.to_dict())


# --- the widgets, without a browser ---------------------------------------------


@pytest.fixture
def bench(tmp_path) -> Workbench:
    case = tmp_path / "data" / CASE.name
    shutil.copytree(CASE, case)
    (case / "scenarios").mkdir(exist_ok=True)
    shutil.copytree(ROOT / "criteria", tmp_path / "criteria")
    wb = Workbench(State.make(case, decision=DECISION, samples=1000, language="en"), Context(load_case(case), DECISION))
    wb.build()
    return wb


def test_a_slider_per_criterion_labelled_in_words_grouped_as_the_value_tree(bench):
    dec = bench.context.decision
    assert list(bench.sliders) == [c.id for g in dec.criteria_set.groups for c in dec.criteria if c.group == g.id]
    for c in dec.criteria:
        assert bench.sliders[c.id].description == c.label.en
    assert set(bench.group_headers) == {g.id for g in dec.criteria_set.groups}
    assert "%" in next(iter(bench.shares.values())).value


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_slider_tooltip_is_the_criterion_description_in_the_app_language(tmp_path, language):
    """The descriptions as the criteria file gives them (read with PyYAML), in the app's language (issue 25)."""
    case = tmp_path / "data" / CASE.name
    shutil.copytree(CASE, case)
    shutil.copytree(ROOT / "criteria", tmp_path / "criteria")
    wb = Workbench(State.make(case, decision=DECISION, samples=500, language=language), Context(load_case(case), DECISION))
    wb.build()
    criteria = yaml.safe_load((ROOT / "criteria" / f"{DECISION}.yaml").read_text(encoding="utf-8"))["criteria"]
    assert {cid: s.tooltip for cid, s in wb.sliders.items()} == {
        c["id"]: " ".join(c["description"][language].split()) for c in criteria}


def test_moving_a_slider_recomputes_the_ranking(bench):
    dec = bench.context.decision
    bench.sliders["cost-pv"].value = 50
    assert bench.state.weights["cost-pv"] == 50
    assert bench.results.order == rank(dec, "wsm", weights=_series(bench.slider_weights())).order
    first = bench.results.order[0]
    assert f'data-option="{first}" data-rank="1"' in bench.ranking_w.value


def test_picking_a_profile_loads_its_weights_exactly(bench):
    bench.sliders["cost-pv"].value = 50
    bench.profile_w.value = "bergen"
    assert bench.state.profile == "bergen" and bench.state.weights is None
    assert bench.results.order == rank(bench.context.decision, "wsm", profile="bergen").order
    bench.profile_w.value = NO_PROFILE
    assert bench.state.profile is None


def test_method_and_uncertainty_controls(bench):
    bench.method_w.value = "topsis"
    assert bench.results.ranking.method == "topsis"
    assert bench.results.order == rank(bench.context.decision, "topsis").order
    stab = bench.results.stability
    assert ((stab["low"] <= stab["weight"]) & (stab["weight"] <= stab["high"])).all()
    assert 'class="pw-what"' in bench.what_w.value
    bench.uncertainty_w.value = 0
    assert bench.state.uncertainty.spread == 0


def test_zero_weights_show_a_message_in_the_app(bench):
    for s in bench.sliders.values():
        s.value = 0
    assert "All weights are zero" in bench.message_w.value
    assert bench.ranking_w.value == ""
    assert "Traceback" not in bench.message_w.value


def test_save_asks_before_overwriting(bench):
    path = bench.context.path / "scenarios" / "mine.yaml"
    bench.name_w.value = "mine"
    bench.profile_w.value = "ks"
    bench.save_w.click()
    assert path.exists() and bench.last_saved == path, bench.save_status_w.value
    before = path.read_text()
    bench.profile_w.value = "bergen"
    bench.save_w.click()
    assert "exists already" in bench.save_status_w.value
    assert bench.confirm_box.layout.display == "flex"
    assert path.read_text() == before
    bench.cancel_w.click()
    assert path.read_text() == before and bench.confirm_box.layout.display == "none"
    bench.save_w.click()
    bench.overwrite_w.click()
    assert "profile: bergen" in path.read_text()
    assert "Saved" in bench.save_status_w.value


def test_saving_slider_weights(bench):
    path = bench.context.path / "scenarios" / "sliders.yaml"
    bench.name_w.value = "sliders"
    bench.sliders["cost-pv"].value = 30
    bench.save_w.click()
    assert "weights:" in path.read_text() and "cost-pv: 30" in path.read_text()


def test_saving_with_zero_weights_is_refused(bench):
    bench.name_w.value = "zero"
    for s in bench.sliders.values():
        s.value = 0
    bench.save_w.click()
    assert not (bench.context.path / "scenarios" / "zero.yaml").exists()
    assert "zero" in bench.save_status_w.value


def test_bad_scenario_name_is_explained(bench):
    bench.name_w.value = "Min Scenario"
    bench.save_w.click()
    assert "not a valid name" in bench.save_status_w.value and "min-scenario" in bench.save_status_w.value


def test_frontend_detection_can_be_forced(monkeypatch):
    monkeypatch.setenv("PROCUREMENT_WIDGETS", "static")
    assert has_frontend() is False
    monkeypatch.setenv("PROCUREMENT_WIDGETS", "live")
    assert has_frontend() is True
    monkeypatch.delenv("PROCUREMENT_WIDGETS")
    assert has_frontend() is False  # no kernel here


def test_app_environment_overrides_the_parameters():
    wb = Workbench.from_parameters(
        case="nowhere", methods=["wsm"], env={"PROCUREMENT_APP_CASE": str(CASE), "PROCUREMENT_APP_METHOD": "topsis",
                                              "PROCUREMENT_APP_LANGUAGE": "en", "PROCUREMENT_APP_PROFILE": "ks"},
    )
    assert (wb.state.method, wb.state.language, wb.state.profile) == ("topsis", "en", "ks")


# --- the notebook ----------------------------------------------------------------


def test_notebook_is_committed_clean_with_a_parameters_cell():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    unchecked = [c for c in code if "# NBVAL_CHECK_OUTPUT" not in "".join(c["source"])]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in unchecked)
    assert len(unchecked) == len(code) - 1  # one checked cell: the workbench's ranking and first-rank shares
    params = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1
    ns: dict = {}
    exec("".join(params[0]["source"]), ns)
    for name in ("case", "decision", "profile", "methods", "samples", "seed", "language"):
        assert name in ns


def test_notebook_under_papermill_shows_static_results(tmp_path):
    pm = pytest.importorskip("papermill")
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), kernel_name="python3", parameters={"language": "en", "samples": 500},
                        cwd=str(ROOT), progress_bar=False)
    nb = json.loads(out.read_text())
    outputs = [o for c in nb["cells"] for o in c.get("outputs", [])]
    html = "".join("".join(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert 'class="pw-ranking"' in html
    for part in ("pw-scores", "pw-acceptability", "pw-stability-chart", "pw-what"):
        assert part in html
    assert not any(o.get("output_type") == "error" for o in outputs)
    assert not any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)


# --- any case folder: the case picker -------------------------------------------


def test_the_case_picker_opens_a_second_case_and_its_decisions(bench, tmp_path):
    from procurement.casebook.scaffold import new_case

    assert str(CASE) in bench.case_w.options  # data/*/ folders with a case.yaml, found from the cwd
    second = tmp_path / "data" / "second-case"
    new_case(second, "cloud-framework", "Second case", "en")
    assert bench.open_case(str(second)) is True
    assert bench.state.case == str(second) and bench.state.decision == "cloud-framework"
    assert bench.context.case.id == "second-case"
    assert list(bench.sliders) == ["quality", "cost"]
    assert [v for _, v in bench.decision_w.options] == ["cloud-framework"]
    # by hand: two options, min-max scaling, file weights 60/40 -> open-tender 0.6 (best quality), zero 0.4 (cheaper)
    assert bench.results.order == ["open-tender", "zero"]
    assert bench.results.ranking.table["score"].round(6).to_dict() == {"open-tender": 0.6, "zero": 0.4}
    assert "Opened: Second case" in bench.case_status_w.value
    assert bench.widget.children[1] is bench.body
    # a slider of the second case works as in the first
    bench.sliders["cost"].value = 50  # quality 60 : cost 50 -> open-tender 60/110, zero 50/110
    assert bench.results.order == ["open-tender", "zero"]
    bench.sliders["quality"].value = 40
    assert bench.results.order == ["zero", "open-tender"]


def test_a_weight_over_50_percent_is_shown_and_kept_when_another_slider_moves(bench, tmp_path):
    """Issue 25: quality 60 %, cost 40 %; nudging cost to 41 gives 60:41 = 59.4 % / 40.6 % (by hand), not 55/45."""
    from procurement.casebook.scaffold import new_case

    second = tmp_path / "data" / "second-case"
    new_case(second, "cloud-framework", "Second case", "en")
    assert bench.open_case(second)
    assert bench.sliders["quality"].value == 60.0 and bench.sliders["cost"].value == 40.0
    bench.sliders["cost"].value = 41
    w = bench.context.analysis(bench.state).weights
    assert w["quality"] == pytest.approx(60 / 101, abs=1e-12) and w["cost"] == pytest.approx(41 / 101, abs=1e-12)
    assert round(100 * w["quality"], 1) == 59.4 and round(100 * w["cost"], 1) == 40.6


def test_moving_one_slider_keeps_the_other_weights_exact(bench):
    """The other sliders show their weights rounded to whole points; the analysis keeps them exact: every ratio
    between two weights that were not moved is the ratio before the move."""
    before = bench.context.analysis(bench.state).weights.copy()
    bench.sliders["cost-pv"].value = 33
    after = bench.context.analysis(bench.state).weights
    others = [c for c in before.index if c != "cost-pv"]
    for a, b in zip(others, others[1:], strict=False):
        assert after[a] / after[b] == pytest.approx(before[a] / before[b], rel=1e-12)


def test_a_bad_case_folder_leaves_the_open_case_and_says_why(bench, tmp_path):
    before = bench.context
    assert bench.open_case(str(tmp_path / "nope")) is False
    assert bench.context is before
    assert "no such case folder" in bench.case_status_w.value


def test_switching_decision_in_the_picker(bench):
    bench.decision_w.value = "procurement-procedure"
    assert bench.state.decision == "procurement-procedure"
    assert list(bench.sliders) and set(bench.sliders) == set(bench.context.decision.criterion_ids)
    assert bench.results.order == rank(bench.context.decision, "wsm").order


# --- the notebook's parameters ---------------------------------------------------


def test_notebook_parameters_carry_types_papermill_reads_and_match_report_params():
    import papermill as pm

    from procurement.app.parameters import PARAMETERS
    from procurement.report.params import defaults

    found = pm.inspect_notebook(str(NOTEBOOK))
    assert list(found) == list(PARAMETERS)  # the names the workbench checks its parameters against
    assert list(found) == ["case", "scenario", "decision", "profile", "weights", "methods", "samples", "seed",
                           "uncertainty", "language"]
    types = {k: v["inferred_type_name"] for k, v in found.items()}
    assert types == {"case": "str", "scenario": "str", "decision": "str", "profile": "Optional[str]",
                     "weights": "Optional[dict[str,float]]", "methods": "list[str]", "samples": "int", "seed": "int",
                     "uncertainty": "Optional[dict]", "language": "str"}
    assert all(v["help"] for v in found.values())
    # the cell's values are the ones report.params gives the workbench notebook
    assert {k: json.loads(v["default"].replace("None", "null")) for k, v in found.items()} == defaults("00-workbench")


def test_a_bad_notebook_parameter_stops_the_workbench_with_one_line_each():
    from procurement.app.parameters import ParameterError
    from procurement.app.widgets import start_workbench

    with pytest.raises(ParameterError) as err:
        start_workbench({"case": str(CASE), "samples": "many", "langauge": "en"})
    lines = [str(p) for p in err.value.problems]
    assert len(lines) == 2
    assert any("parameter 'samples'" in line for line in lines)
    assert any("parameter 'langauge': unknown parameter (did you mean 'language'?" in line for line in lines)


def test_the_start_cell_runs_twice_in_one_kernel():
    """Issue 25: running the start cell of 00-workbench a second time in the same kernel failed with
    "parameter 'wb': unknown parameter" (the first run's workbench is in the namespace)."""
    from procurement.app.widgets import Workbench, start_workbench

    namespace = {"case": str(CASE), "language": "en", "samples": 500}
    namespace["wb"] = start_workbench(namespace)
    again = start_workbench(namespace)
    assert isinstance(again, Workbench) and again is not namespace["wb"]


def test_save_as_scenario_after_opening_a_second_case_writes_into_that_case(bench, tmp_path):
    from procurement.casebook.scaffold import new_case

    second = tmp_path / "data" / "second-case"
    new_case(second, "cloud-framework", "Second case", "en")
    assert bench.open_case(second)
    bench.sliders["cost"].value = 45
    bench.name_w.value = "more-cost"
    path = bench.save()
    assert path == second / "scenarios" / "more-cost.yaml"
    case = load_case(second)
    # the file's 60 stays 60 (issue 25: the slider stopped at 50 and the saved scenario kept 50)
    assert case.scenarios["more-cost"].weights == {"quality": 60.0, "cost": 45.0}
    assert case.scenarios["more-cost"].decision == "cloud-framework"


# --- what the page states comes from the analysis, written the reader's way ------------------------------------


@pytest.mark.parametrize(
    "language, expected",
    [
        ("nb", ["3\u00a0000 trekk", "frø 11", "± 35\u00a0%", "interessentprofilene", "PERT-fordelinger"]),
        ("en", ["3,000 samples", "seed 11", "± 35%", "stakeholder profiles", "PERT distributions"]),
    ],
)
def test_the_smaa_note_states_the_scenario_the_analysis_used(ctx, language, expected):
    """Samples, seed, weight model, spread and score model as set here, in bokmål with a no-break space as the
    thousands separator and before '%' (Språkrådet), in English with a comma; nothing of the defaults left over."""
    state = State.make(CASE, decision=DECISION, samples=3000, seed=11, language=language,
                       uncertainty={"weights": "profiles", "spread": 0.35, "scores": "pert"})
    res = compute(state, ctx, what_it_takes=False)
    for part in expected:
        assert part in res.smaa_note, (part, res.smaa_note)
    for default in ("10\u00a0000", "10,000", "20261125", "± 20", "trekantfordelinger", "triangular"):
        assert default not in res.smaa_note
    html = "".join(part for _, part in sections(res))
    assert res.smaa_note in html and "\u202f" not in html


def test_the_default_note_names_the_default_model(ctx):
    res = compute(State.make(CASE, decision=DECISION, language="en"), ctx, what_it_takes=False)
    assert res.smaa_note == ("10,000 samples, seed 20261125; each weight drawn within ± 20% of its value, then "
                             "renormalised; scores drawn from triangular distributions over low–likely–high.")


def test_notebook_parameters_are_checked_by_the_scenario_model():
    from procurement.app.parameters import ParameterError, check_parameters

    good = {"case": str(CASE), "scenario": "mine", "samples": 500, "uncertainty": {"spread": 0.3}, "language": "en",
            "profile": None, "json": json}  # a module among the globals is not a parameter
    assert check_parameters(good) == {k: v for k, v in good.items() if k != "json"}
    bad = {"case": str(CASE), "scenario": "Min Scenario", "seed": True, "samples": 10.0, "uncertainty": {"spread": 2},
           "methods": []}
    with pytest.raises(ParameterError) as err:
        check_parameters(bad)
    where = sorted(p.where for p in err.value.problems)
    assert where == ["parameter 'methods'", "parameter 'samples'", "parameter 'scenario'", "parameter 'seed'",
                     "parameter 'uncertainty.spread'"]
