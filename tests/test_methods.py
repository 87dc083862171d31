"""Every scikit-criteria-backed method on the example case against scikit-criteria called
directly with the preprocessing its paper calls for (written out here, not taken from
procurement.mcda.methods), plus screening, method names and the JSON shape of `procurement rank`."""

from __future__ import annotations

import argparse
import json
import warnings

import numpy as np
import pytest
import skcriteria as skc
from skcriteria.agg.copras import COPRAS
from skcriteria.agg.electre import ELECTRE1, ELECTRE2
from skcriteria.agg.moora import MultiMOORA
from skcriteria.agg.simple import WeightedProductModel, WeightedSumModel
from skcriteria.agg.spotis import SPOTIS
from skcriteria.agg.topsis import TOPSIS
from skcriteria.agg.vikor import VIKOR
from skcriteria.agg.waspas import WASPAS
from skcriteria.pipelines import mkpipe
from skcriteria.preprocessing.increment import AddValueToZero
from skcriteria.preprocessing.invert_objectives import BenefitCostInverter, InvertMinimize, MinMaxInverter, NegateMinimize
from skcriteria.preprocessing.scalers import MinMaxScaler, SumScaler, VectorScaler

from conftest import EXAMPLE_CASE, write_case
from procurement.case.errors import InputError
from procurement import load_case
from procurement.mcda.methods import METHODS, get_method, method_names
from procurement.mcda.ranking import rank, rank_many

DECISION = "contract-strategy"


@pytest.fixture(scope="module")
def decision():
    return load_case(EXAMPLE_CASE).decision(DECISION)


def _inputs(decision):
    """The matrix after screening and value functions, built here from the raw scores."""
    m = decision.matrix("likely")
    for c in decision.criteria:
        if c.must_pass is not None:
            m = m[[c.must_pass.passes(v) for v in m[c.id]]]
        # fails the who-may-use screen of screening.yaml (KOFA 2015/65; CJEU C-216/17): not a must-pass bound any more
        m = m.drop(index=[o for o in ("helseplattformen-extend",) if o in m.index])
        if c.value_function is not None:
            m[c.id] = np.interp(m[c.id], [p[0] for p in c.value_function.points], [p[1] for p in c.value_function.points])
    obj = [1 if (c.value_function is not None or c.direction == "max") else -1 for c in decision.criteria]
    w = np.array([c.weight for c in decision.criteria], dtype=float)
    return m, obj, w / w.sum()


def _direct(name, dm, decision):
    """scikit-criteria called directly, preprocessing as in each method's paper."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", UserWarning)
        if name == "wsm":
            return mkpipe(MinMaxInverter(), SumScaler(target="weights"), WeightedSumModel()).evaluate(dm)
        if name == "wsm-sum":
            return mkpipe(InvertMinimize(), SumScaler(target="matrix"), WeightedSumModel()).evaluate(dm)
        if name == "wpm":
            return mkpipe(AddValueToZero(target="matrix", value=1.0), InvertMinimize(), SumScaler(target="weights"),
                          WeightedProductModel()).evaluate(dm)
        if name == "topsis":
            return mkpipe(NegateMinimize(), VectorScaler(target="matrix"), SumScaler(target="weights"), TOPSIS()).evaluate(dm)
        if name == "vikor":
            return VIKOR(v=0.5).evaluate(dm)
        if name == "electre1":
            return mkpipe(MinMaxScaler(target="matrix"), ELECTRE1(p=0.65, q=0.35)).evaluate(dm)
        if name == "electre2":
            return mkpipe(MinMaxScaler(target="matrix"), ELECTRE2()).evaluate(dm)
        if name == "multimoora":
            return mkpipe(AddValueToZero(target="matrix", value=1.0), VectorScaler(target="matrix"), MultiMOORA()).evaluate(dm)
        if name == "spotis":
            bounds = np.array([c.value_function.value_range if c.value_function else (c.scale.min, c.scale.max)
                               for c in decision.criteria])
            return SPOTIS().evaluate(dm, bounds=bounds)
        if name == "copras":
            return mkpipe(SumScaler(target="matrix"), COPRAS()).evaluate(dm)
        if name == "waspas":
            return mkpipe(AddValueToZero(target="matrix", value=1.0), BenefitCostInverter(),
                          WASPAS(lambda_value=0.5)).evaluate(dm)
    raise AssertionError(name)


SCORE_KEY = {"vikor": "q_k", "topsis": "similarity"}
SKC_METHODS = [m for m in METHODS if m != "promethee2"]


def test_at_least_eight_methods_by_short_name():
    assert len(METHODS) >= 8
    for name in ["wsm", "wsm-sum", "wpm", "topsis", "vikor", "electre1", "electre2", "multimoora", "spotis", "copras", "waspas",
                 "promethee2"]:
        assert get_method(name).name == name


@pytest.mark.parametrize("name", SKC_METHODS)
def test_method_matches_scikit_criteria_directly(decision, name):
    m, obj, w = _inputs(decision)
    dm = skc.mkdm(m.to_numpy(), obj, weights=w, alternatives=list(m.index), criteria=list(m.columns))
    ref = _direct(name, dm, decision)
    ours = rank(decision, name)
    assert ours.matrix.index.tolist() == list(m.index)
    np.testing.assert_allclose(ours.matrix.to_numpy(), m.to_numpy())
    np.testing.assert_allclose(ours.weights.to_numpy(), w)
    if name == "electre1":
        kernel = np.asarray(ref.kernel_, dtype=bool)
        assert ours.table.loc[list(m.index), "rank"].tolist() == np.where(kernel, 1, 2).tolist()
        return
    assert ours.table.loc[list(m.index), "rank"].tolist() == np.asarray(ref.rank_).tolist()
    expected = np.asarray(ref.e_[SCORE_KEY.get(name, "score")], dtype=float)
    np.testing.assert_allclose(ours.table.loc[list(m.index), "score"].to_numpy(), expected, rtol=1e-9)


@pytest.mark.parametrize("name", SKC_METHODS)
def test_method_matches_with_a_stakeholder_profile(decision, name):
    group = next(iter(decision.profiles))
    m, obj, _ = _inputs(decision)
    w = decision.profiles[group].loc[m.columns].to_numpy()
    dm = skc.mkdm(m.to_numpy(), obj, weights=w / w.sum(), alternatives=list(m.index), criteria=list(m.columns))
    ours = rank_many(decision, [name], [group])[0][0]
    if METHODS[name].why_not(m.to_numpy(), np.array(obj), w):
        pytest.skip("method not applicable to this profile")
    ref = _direct(name, dm, decision)
    if name == "electre1":
        assert ours.table.loc[list(m.index), "rank"].tolist() == np.where(np.asarray(ref.kernel_), 1, 2).tolist()
    else:
        assert ours.table.loc[list(m.index), "rank"].tolist() == np.asarray(ref.rank_).tolist()


def test_no_deprecation_warning(decision):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        rank_many(decision, list(METHODS), [None, *decision.profiles])


def test_unknown_method_lists_valid_ones():
    with pytest.raises(InputError) as e:
        get_method("topsys")
    text = str(e.value)
    assert "unknown method 'topsys'" in text and "did you mean 'topsis'" in text and "promethee2" in text
    with pytest.raises(InputError) as e:
        method_names("wsm,nonsense")
    assert "valid" in str(e.value) and "electre1" in str(e.value)


def test_screening_excludes_with_rule_and_citation(decision):
    r = rank(decision, "topsis")
    for row in r.excluded.to_dict("records"):
        assert row["option"] not in r.table.index
        assert row["citation"] and row["citation"] in row["rule"]
    d = r.to_dict()
    assert d["excluded"] == [{k: v for k, v in e.items()} for e in d["excluded"]]


def _crit_with_must_pass(minimum: float) -> str:
    from conftest import CRITERIA

    return CRITERIA.replace(
        "      rubric: {0: \"Illegal\", 10: \"Settled law\"}\n",
        "      rubric: {0: \"Illegal\", 10: \"Settled law\"}\n"
        f"    must_pass: {{min: {minimum}, rule: \"Must be lawful\", citation: \"FOA § 28-1\"}}\n",
        1,
    )


def _run_cli(argv, capsys):
    from procurement.cli import report_problems
    from procurement.cli import rank as rank_cli

    parser = argparse.ArgumentParser()
    rank_cli.register(parser.add_subparsers())
    args = parser.parse_args(["rank", *argv])
    try:
        code = args.func(args)
    except InputError as err:
        report_problems(err)
        code = 2
    return code, capsys.readouterr()


def test_screening_removing_every_option_exits_2(tmp_path, capsys):
    case = write_case(tmp_path, criteria__pick_yaml=_crit_with_must_pass(9.5))
    code, out = _run_cli([str(case), "--decision", "pick", "--method", "all"], capsys)
    assert code == 2
    assert "screening removes every option" in out.err and "Traceback" not in out.err
    assert len([line for line in out.err.splitlines() if line.startswith("error:")]) == 1


def test_screening_in_tiny_case(tmp_path):
    case = write_case(tmp_path, criteria__pick_yaml=_crit_with_must_pass(7.5))
    d = load_case(case).decision("pick")
    r = rank(d, "wsm")
    assert sorted(r.table.index) == ["b", "c"]
    assert r.excluded["option"].tolist() == ["a"] and r.excluded["citation"].tolist() == ["FOA § 28-1"]


def test_electre1_gives_a_kernel(decision):
    r = rank(decision, "electre1")
    assert set(r.table["rank"]) <= {1, 2} and (r.table["rank"] == 1).any()


def test_copras_skipped_without_minimised_criterion(tmp_path):
    from conftest import CRITERIA

    crit = CRITERIA.replace("direction: min", "direction: max")
    d = load_case(write_case(tmp_path, criteria__pick_yaml=crit)).decision("pick")
    rankings, skipped = rank_many(d, ["wsm", "copras"])
    assert [r.method for r in rankings] == ["wsm"]
    assert skipped[0]["method"] == "copras" and "minimise" in skipped[0]["reason"]
    with pytest.raises(InputError, match="COPRAS"):
        rank(d, "copras")


def test_cli_json_shape_and_recompute(capsys):
    code, out = _run_cli([str(EXAMPLE_CASE), "--decision", DECISION, "--method", "all", "--profile", "all", "--format", "json"],
                         capsys)
    assert code == 0, out.err
    data = json.loads(out.out)
    assert data["schema"] == "procurement.rank/1"
    assert set(data) >= {"case", "decision", "methods", "profiles", "excluded", "results", "skipped", "comparison",
                         "stakeholders"}
    assert data["methods"] == list(METHODS)
    assert {r["method"] for r in data["results"]} == set(METHODS) - {s["method"] for s in data["skipped"]}
    first = data["results"][0]
    assert {"ranking", "excluded", "inputs", "profile", "score"} <= set(first)
    inputs = {"alternatives", "criteria", "matrix", "objectives", "weights", "parameters", "value_functions"}
    assert inputs <= set(first["inputs"])
    # recompute TOPSIS from the JSON inputs with scikit-criteria alone
    r = next(x for x in data["results"] if x["method"] == "topsis" and x["profile"] is None)
    i = r["inputs"]
    dm = skc.mkdm(i["matrix"], i["objectives"], weights=i["weights"], alternatives=i["alternatives"], criteria=i["criteria"])
    res = mkpipe(NegateMinimize(), VectorScaler(target="matrix"), SumScaler(target="weights"), TOPSIS()).evaluate(dm)
    ranks = dict(zip(i["alternatives"], np.asarray(res.rank_).tolist(), strict=True))
    assert {x["option"]: x["rank"] for x in r["ranking"]} == ranks
    for row in data["excluded"]:
        assert row["rule"] and row["citation"]
    assert "default" in data["comparison"] and "kendall" in data["comparison"]["default"]
    assert "leave_one_out" in data["stakeholders"]["wsm"]


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_cli_other_formats(capsys, fmt):
    code, out = _run_cli([str(EXAMPLE_CASE), "--decision", DECISION, "--method", "all", "--profile", "all", "--format", fmt],
                         capsys)
    assert code == 0, out.err
    assert "dialogue-total" in out.out


def test_cli_unknown_method_and_profile(capsys):
    code, out = _run_cli([str(EXAMPLE_CASE), "--decision", DECISION, "--method", "topsys"], capsys)
    assert code == 2 and "did you mean 'topsis'" in out.err
    code, out = _run_cli([str(EXAMPLE_CASE), "--decision", DECISION, "--profile", "nobody"], capsys)
    assert code == 2 and "no weight profile 'nobody'" in out.err


def _same_json(a, b, path="") -> None:
    """Equal JSON trees, floats to 1e-9 relative."""
    assert type(a) is type(b), path
    if isinstance(a, dict):
        assert list(a) == list(b), path
        for k in a:
            _same_json(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same_json(x, y, f"{path}[{i}]")
    elif isinstance(a, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12), path
    else:
        assert a == b, path


@pytest.mark.parametrize("name", [m for m in METHODS if METHODS[m].kernel is not None])
def test_kernel_gives_the_pipelines_json(decision, name, monkeypatch):
    """`rank` through the vectorised kernel writes the same Ranking JSON as through the scikit-criteria pipeline."""
    import dataclasses

    via_kernel = rank(decision, name).to_dict()
    monkeypatch.setitem(METHODS, name, dataclasses.replace(METHODS[name], kernel=None))
    via_pipeline = rank(decision, name).to_dict()
    _same_json(via_kernel, via_pipeline)
    assert list(via_kernel) == ["decision", "method", "method_label", "profile", "kind", "score", "ranking", "excluded", "inputs"]
    assert list(via_kernel["inputs"]) == ["alternatives", "criteria", "matrix", "objectives", "weights", "value_functions",
                                          "parameters", "preprocessing", "reference"]
