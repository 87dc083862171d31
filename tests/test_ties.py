"""Ties: scores that are mathematically equal share a rank in `rank`, whatever the floating-point noise.

Two constructions whose ties are exact by symmetry, so no method may split them:

* three identical options (and a fourth, different one);
* three options whose scores are the same six numbers shifted cyclically by two
  criteria (option 2 is option 1 moved two places, option 3 moved four), every
  criterion maximised, equal weights: any method that treats criteria alike
  must score them equally. PROMETHEE II's flows for this problem differ by
  5.6e-17 when added up in floating point, which scikit-criteria-style exact
  equality ranks 1, 2, 3.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import write_case
from procurement.case.loader import load_case
from procurement.mcda.methods import METHODS
from procurement.mcda.promethee import promethee2
from procurement.mcda.ranking import evaluate, rank

BY_SCORE = [name for name, m in METHODS.items() if m.ranks_by_score]
BASE = [5.0, 8.0, 3.0, 6.0, 8.0, 10.0]
VSHAPE = ("v-shape", 0.0, 3.0, 0.0)


def cyclic() -> pd.DataFrame:
    x = np.array([np.roll(BASE, 2 * i) for i in range(3)])
    return pd.DataFrame(x, index=["a", "b", "c"], columns=[f"c{j}" for j in range(6)])


def identical() -> tuple[pd.DataFrame, pd.Series]:
    x = pd.DataFrame([[6.0, 2.0, 40.0], [6.0, 2.0, 40.0], [6.0, 2.0, 40.0], [3.0, 9.0, 70.0]],
                     index=["a", "b", "c", "d"], columns=["q1", "q2", "cost"])
    return x, pd.Series([1, 1, -1], index=x.columns)


def test_ranked_by_score_is_most_methods():
    assert {"wsm", "wsm-sum", "wpm", "topsis", "promethee2", "spotis", "copras", "waspas", "electre2"} <= set(BY_SCORE)
    assert {"electre1", "vikor", "multimoora"}.isdisjoint(BY_SCORE)


def test_the_symmetric_construction_has_floating_noise():
    """The precondition: PROMETHEE II's flows for the cyclic problem are equal in exact arithmetic
    (net flows sum to zero, and the symmetry makes them equal, so all are 0), yet not in floating point."""
    x = cyclic().to_numpy()
    net, *_ = promethee2(x, np.ones(6), np.ones(6) / 6, [VSHAPE] * 6)
    assert np.ptp(net) < 1e-15
    assert len(set(net.tolist())) > 1  # the noise exact equality would split


@pytest.mark.parametrize("method", BY_SCORE)
def test_three_identical_options_share_a_rank(method):
    x, obj = identical()
    w = pd.Series([0.2, 0.3, 0.5], index=x.columns)
    t = evaluate(method, x, obj, w)
    assert len(set(t.loc[["a", "b", "c"], "rank"])) == 1


@pytest.mark.parametrize("method", BY_SCORE)
def test_symmetric_three_way_tie_shares_rank_one(method):
    x = cyclic()
    obj = pd.Series(1, index=x.columns)
    w = pd.Series(1.0 / 6, index=x.columns)
    if METHODS[method].why_not(x.to_numpy(), obj.to_numpy(), w.to_numpy()):
        pytest.skip("the method cannot rank a problem without a criterion to minimise")
    t = evaluate(method, x, obj, w, preferences=[VSHAPE] * 6)
    assert t["rank"].tolist() == [1, 1, 1]


def _cyclic_case(tmp_path):
    crit = "".join(
        f"  - id: c{j}\n    label: {{nb: \"K{j}\", en: \"C{j}\"}}\n    direction: max\n    group: all\n    weight: 1\n"
        f"    scale: {{kind: natural, unit: points, min: 0, max: 10}}\n    preference: {{function: v-shape, p: 3}}\n"
        for j in range(6)
    )
    criteria = ("decision: pick\ntitle: {nb: \"Valg\", en: \"Pick\"}\n"
                "groups:\n  - id: all\n    label: {nb: \"Alle\", en: \"All\"}\ncriteria:\n" + crit)
    scores = "decision,option,criterion,low,likely,high,rationale,source\n" + "".join(
        f"pick,{o},c{j},{v:g},{v:g},{v:g},r,test\n" for o, row in cyclic().iterrows() for j, v in enumerate(row)
    )
    case = write_case(tmp_path, criteria__pick_yaml=criteria, case__scores_csv=scores,
                      case__profiles_csv="decision,group,criterion,weight,rank\n")
    return load_case(case).decision("pick")


def test_rank_promethee2_does_not_split_a_symmetric_tie(tmp_path):
    r = rank(_cyclic_case(tmp_path), "promethee2")
    assert r.table["rank"].tolist() == [1, 1, 1]
    assert r.winners == ["a", "b", "c"]
    assert all(row["tied"] for row in r.to_dict()["ranking"])


@pytest.mark.parametrize("method", [m for m in BY_SCORE if m != "copras"])
def test_rank_every_method_by_score_keeps_the_symmetric_tie(tmp_path, method):
    assert rank(_cyclic_case(tmp_path), method).table["rank"].tolist() == [1, 1, 1]


def test_promethee2_decision_maker_ranks_with_the_tolerance():
    """The scikit-criteria decision maker (used by pipelines, e.g. rank-reversal checks) ties them too."""
    import skcriteria as skc

    from procurement.mcda.promethee import PROMETHEE2

    dm = skc.mkdm(cyclic().to_numpy(), [1] * 6, weights=[1 / 6] * 6)
    assert np.asarray(PROMETHEE2(preferences=[VSHAPE] * 6).evaluate(dm).rank_).tolist() == [1, 1, 1]
