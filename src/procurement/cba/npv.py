"""The deterministic R-109 analysis: NPV and its parts per option, and ΔNPV against a reference.

:func:`evaluate` applies the linear model (:mod:`procurement.cba.model`) to the point
estimate of every three-point amount and derives the tax-financing cost, the net
benefit per budget krone, the annualised cost and the increments against the
0-alternative (:data:`TABLE_COLUMNS`). :func:`reference_option` says what ΔNPV is
measured against when a decision has no 0-alternative (its option with the
highest NPV). :func:`in_unit` converts a result table to kNOK or MNOK: money
columns only, never a ratio or a probability.

Read next: :mod:`procurement.cba.scaling` (NPV of flows scaled per year, for uptake),
then :mod:`procurement.cba.draws` (the Monte Carlo draws).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from procurement.case.cashflows import UNITS
from procurement.cba.discounting import Timeline, discount_table
from procurement.cba.model import LINEAR_MEASURES, build_model
from procurement.cba.parameters import CbaParameters

#: Measures that are amounts of money (NOK of the base year); every other number is a ratio or a probability.
MONEY_MEASURES = (
    "npv",
    "incremental_npv",
    "npv_without_residual",
    "incremental_npv_without_residual",
    "pv_costs",
    "pv_benefits",
    "tax_cost",
    "residual_value",
    "net_public_spending",
    "annualised_cost",
    "investment",
)
#: Measures that are ratios (NOK per NOK): never divided by a unit.
RATIO_MEASURES = ("net_benefit_per_krone", "incremental_net_benefit_per_krone", "residual_share")
#: Suffixes of columns derived from a measure: a percentile, the mean, the point estimate named.
_DERIVED_SUFFIX = re.compile(r"_(P\d+(\.\d+)?|mean|expected|likely)$")


def is_money(column: str) -> bool:
    """Whether a result column holds an amount of money: a money measure, or its percentile, mean or point estimate.

    ``incremental_npv_P50`` is money; ``incremental_net_benefit_per_krone`` (NOK per NOK) and ``p_npv_positive``
    (a probability) are not.
    """
    return _DERIVED_SUFFIX.sub("", str(column)) in MONEY_MEASURES


def in_unit(table: pd.DataFrame, unit: str) -> pd.DataFrame:
    """A copy of a result table with its money columns in ``unit`` (NOK, kNOK or MNOK); ratios and probabilities kept."""
    divisor = UNITS[unit]
    out = table.copy()
    for c in out.columns:
        if is_money(c) and pd.api.types.is_numeric_dtype(out[c]):
            out[c] = out[c] / divisor
    return out


@dataclass
class CbaResult:
    """The deterministic cost-benefit analysis of one decision (amounts in NOK).

    Attributes
    ----------
    decision : str
    options : list of str
    zero : str or None
        The 0-alternative that incremental NPV is measured against (None if absent).
    timeline : Timeline
    params : CbaParameters
    table : pandas.DataFrame
        Indexed by option: ``npv, incremental_npv_without_residual (ΔNPV without the residual value),
        incremental_npv, residual_share (the share of ΔNPV that comes from the residual value; 0 without one),
        incremental_net_benefit_per_krone
        (ΔNPV per krone of net public spending beyond the 0-alternative's; NaN
        where the option spends no more), pv_costs, pv_benefits,
        residual_value, npv_without_residual, net_public_spending, tax_cost, net_benefit_per_krone,
        annualised_cost, investment``.
    discount : pandas.DataFrame
        ``year, t, rate, factor`` for each year of the analysis period.
    """

    decision: str
    options: list[str]
    zero: str | None
    timeline: Timeline
    params: CbaParameters
    table: pd.DataFrame
    discount: pd.DataFrame


def point_amounts(rows: pd.DataFrame, params: CbaParameters) -> np.ndarray:
    """The amount of each row the deterministic analysis uses: the expected value of its three-point estimate
    (``(a + c + b) / 3`` triangular, ``(a + 4c + b) / 6`` PERT) or, with ``point_estimate: likely``, the most likely."""
    a, c, b = (rows[k].to_numpy(dtype=float) for k in ("low", "likely", "high"))
    return point_of(a, c, b, params)


def point_of(a: np.ndarray, c: np.ndarray, b: np.ndarray, params: CbaParameters) -> np.ndarray:
    """:func:`point_amounts` of arrays of low, likely and high amounts."""
    if params.point_estimate == "likely":
        return c
    if params.distribution == "pert":
        return (a + 4 * c + b) / 6
    return (a + c + b) / 3


def derived_measures(measures: pd.DataFrame, params: CbaParameters, annuity: float, zero: str | None) -> pd.DataFrame:
    """Add tax cost, net benefit per budget krone, annualised cost and incremental NPV."""
    out = measures.copy()
    out["tax_cost"] = params.tax_financing_cost * out["net_public_spending"]
    nps = out["net_public_spending"]
    out["net_benefit_per_krone"] = (out["npv"] / nps.where(nps > 0)).astype(float)
    out["annualised_cost"] = out["pv_costs"] / annuity
    out["incremental_npv"] = out["npv"] - float(out["npv"][zero]) if zero is not None and zero in out.index else np.nan
    out["npv_without_residual"] = out["npv"] - out["residual_value"]
    if zero is not None and zero in out.index:
        out["incremental_npv_without_residual"] = out["npv_without_residual"] - float(out["npv_without_residual"][zero])
        extra_residual = out["residual_value"] - float(out["residual_value"][zero])
        inc = out["incremental_npv"]
        out["residual_share"] = (extra_residual / inc.where(inc != 0)).where(extra_residual != 0, 0.0).astype(float)
    else:
        out["incremental_npv_without_residual"] = np.nan
        out["residual_share"] = np.nan
    if zero is not None and zero in out.index:
        extra = nps - float(nps[zero])  # net public spending beyond the 0-alternative's
        out["incremental_net_benefit_per_krone"] = (out["incremental_npv"] / extra.where(extra > 0)).astype(float)
    else:
        out["incremental_net_benefit_per_krone"] = np.nan
    return out


TABLE_COLUMNS = [
    "npv",
    "incremental_npv_without_residual",
    "incremental_npv",
    "residual_share",
    "incremental_net_benefit_per_krone",
    "pv_costs",
    "pv_benefits",
    "residual_value",
    "npv_without_residual",
    "net_public_spending",
    "tax_cost",
    "net_benefit_per_krone",
    "annualised_cost",
    "investment",
]


def evaluate(
    flows: pd.DataFrame,
    options: Sequence[str],
    base_year: int,
    params: CbaParameters | None = None,
    decision: str | None = None,
    zero: str | None = "zero",
) -> CbaResult:
    """Deterministic NPV and related measures per option.

    Parameters
    ----------
    flows : pandas.DataFrame
        Cash flows in NOK (``decision, option, year, category, low, likely,
        high[, row]``), as from :func:`procurement.case.cashflows.read_cashflows`.
    options : sequence of str
        The decision's option ids; an option without flows has all measures 0.
    base_year : int
        Year of the real prices.
    params : CbaParameters, optional
        Default: the values of ``procurement/reference/r109.yaml`` built into the model.
    decision : str, optional
        Keep only flows of this decision (``decision`` column).
    zero : str or None
        The 0-alternative's id; ``incremental_npv`` is NaN if it is not an option.

    Returns
    -------
    CbaResult

    Raises
    ------
    InputError
        Flows with an unknown option or category, amounts out of order, a
        year repeated or out of order, or years outside the analysis period;
        each message names file and row.
    """
    params = params or CbaParameters()
    model = build_model(flows, options, base_year, params, decision)
    values = model.aggregate(point_amounts(model.rows, params)[None, :])[0][:, model.position]
    measures = pd.DataFrame(values.T, index=pd.Index(model.given, name="option"), columns=list(LINEAR_MEASURES))
    zero = zero if zero in model.given else None
    table = derived_measures(measures, params, model.annuity, zero)[TABLE_COLUMNS]
    return CbaResult(
        decision=decision or "",
        options=model.given,
        zero=zero,
        timeline=model.timeline,
        params=params,
        table=table,
        discount=discount_table(model.timeline, params),
    )


def reference_option(result: CbaResult, zero: str | None, admissible: Sequence[str] | None = None) -> tuple[str | None, str]:
    """The option ΔNPV is measured against, and how it was chosen: ``("zero", "zero")`` or ``(best, "best")``.

    R-109 measures against the 0-alternative; a decision without one (for
    example the choice of procedure, where some procedure is run in every
    case) is measured against its option with the highest NPV (point
    estimate), so ΔNPV is what each other option gives up. With `admissible`,
    the best is found among those options (one screened out cannot be chosen).
    """
    if zero is not None and zero in result.options:
        return zero, "zero"
    if not result.options:
        return None, "none"
    npv = result.table["npv"]
    open_ = [o for o in result.options if admissible is None or o in set(admissible)]
    return str((npv.loc[open_] if open_ else npv).idxmax()), "best"
