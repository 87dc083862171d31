"""Stakeholder profiles: rankings per group, panel aggregation, agreement and leave-one-out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import EXAMPLE_CASE, write_case
from procurement.case.loader import load_case
from procurement.mcda.ranking import rank
from procurement.mcda.stakeholders import (
    agreement,
    kendall_w,
    leave_one_out,
    panel_weights,
    stakeholder_dicts,
    stakeholder_rankings,
    weights_table,
)


@pytest.fixture
def tiny(tiny_case):
    return load_case(tiny_case).decision("pick")


def test_panel_mean_and_geomean_by_formula(tiny):
    t = weights_table(tiny)
    alpha = np.array([1, 1, 2]) / 4
    roc = np.array([11 / 18, 5 / 18, 2 / 18])
    np.testing.assert_allclose(t["alpha"], alpha)
    np.testing.assert_allclose(t["beta"], roc)
    np.testing.assert_allclose(panel_weights(tiny, "mean"), (alpha + roc) / 2)
    g = np.sqrt(alpha * roc)
    np.testing.assert_allclose(panel_weights(tiny, "geomean"), g / g.sum())


def test_rankings_per_group(tiny):
    t = stakeholder_rankings(tiny, "wsm", "en")
    assert list(t.columns) == ["label", "default", "alpha", "beta", "panel-mean", "panel-geomean"]
    assert t.loc[:, "alpha"].tolist() == rank(tiny, "wsm", profile="alpha").table["rank"].tolist()
    w = panel_weights(tiny, "mean")
    assert t["panel-mean"].tolist() == rank(tiny, "wsm", weights=w).table["rank"].tolist()


def test_kendall_w():
    same = pd.DataFrame({"a": [1, 2, 3], "b": [1, 2, 3], "c": [1, 2, 3]})
    assert kendall_w(same) == pytest.approx(1.0)
    opposite = pd.DataFrame({"a": [1, 2, 3, 4], "b": [4, 3, 2, 1]})
    assert kendall_w(opposite) == pytest.approx(0.0)


def test_leave_one_out_flags_the_pivotal_group(tmp_path):
    profiles = (
        "decision,group,criterion,weight,rank\n"
        "pick,alpha,legal,10,\npick,alpha,fit,0,\npick,alpha,cost,0,\n"
        "pick,beta,legal,0,\npick,beta,fit,10,\npick,beta,cost,0,\n"
    )
    d = load_case(write_case(tmp_path, case__profiles_csv=profiles)).decision("pick")
    # panel mean = legal 0.5, fit 0.5 → b wins (legal 8, fit 8); without beta only legal counts → c wins
    loo = leave_one_out(d, "wsm", "mean")
    assert loo.attrs["panel_winner"] == "b"
    row = loo.set_index("group")
    assert row.loc["beta", "winner_without"] == "c" and bool(row.loc["beta", "changes_winner"])
    assert row.loc["alpha", "winner_without"] == "b" and not bool(row.loc["alpha", "changes_winner"])


def test_agreement_and_dict_on_example():
    d = load_case(EXAMPLE_CASE).decision("contract-strategy")
    ag = agreement(d, "topsis")
    assert 0 <= ag["kendall_w"] <= 1
    assert list(ag["kendall_tau"].columns) == list(d.profiles)
    out = stakeholder_dicts(d, ["wsm", "promethee2"])
    assert set(out) == {"wsm", "promethee2"}
    assert set(out["wsm"]["leave_one_out"]["mean"]["pivotal_groups"]) <= set(d.profiles)
