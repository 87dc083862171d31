"""The cost-benefit analysis of one decision as the engine returns it: tables, JSON and the assumptions made.

:class:`CostBenefit` holds the deterministic analysis (:mod:`procurement.cba.npv`), the
simulation (:mod:`procurement.cba.simulation`), the non-monetised effects
(:mod:`procurement.cba.effects`) and who pays (:mod:`procurement.cba.financing`) of one
decision, with every amount in one unit (:meth:`CostBenefit.in_unit`). It answers
everything a face shows:

* :meth:`~CostBenefit.headline`, :meth:`~CostBenefit.absolute`, :meth:`~CostBenefit.frames`:
  the increments against the reference option first (as R-109 and DFØ ask), then the
  absolute measures, then the steering and cost frames; best first, screened-out options
  last (``screened_out`` names the must-pass rule);
* :meth:`~CostBenefit.combined`: DFØ's phase 5, priced and non-priced effects side by side
  with one overall ranking (the plus-minus signs are never turned into money);
* :meth:`~CostBenefit.to_dict`: the JSON ``procurement cba --format json`` prints, exactly;
* :attr:`~CostBenefit.assumptions` and :meth:`~CostBenefit.describe`: one sentence per
  parameter the analysis used (:mod:`procurement.text.sentences`), which reports print
  instead of typing them.

Read last: everything above feeds it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from procurement.case.cashflows import UNITS
from procurement.cba.assessment import DecisionAssessment
from procurement.cba.effects import Effects
from procurement.cba.financing import WhoPays
from procurement.cba.npv import CbaResult, is_money
from procurement.cba.parameters import CbaParameters
from procurement.cba.simulation import Simulation, s_curve_data
from procurement.text.sentences import Assumption, describe

#: Columns of :meth:`CostBenefit.headline`: the increments against the reference option.
HEADLINE_COLUMNS = ["incremental_npv_without_residual", "incremental_npv", "residual_share", "incremental_npv_P10",
                    "incremental_npv_P50", "incremental_npv_P90", "p_incremental_positive",
                    "incremental_net_benefit_per_krone", "incremental_npv_mean"]
#: Columns of :meth:`CostBenefit.absolute`: NPV and its parts, its percentiles and probabilities.
ABSOLUTE_COLUMNS = ["npv", "pv_costs", "pv_benefits", "residual_value", "tax_cost", "npv_P10", "npv_P50", "npv_P90",
                    "p_npv_positive", "p_best"]
#: Columns of :meth:`CostBenefit.frames` (after renaming): the investment estimate's frames beside the PV of costs.
FRAMES_COLUMNS = ["investment", "steering_frame", "cost_frame", "pv_costs", "pv_costs_P50", "pv_costs_P85"]
#: How the JSON names the point estimate of each three-point amount.
POINT_MEANING = {"expected": "mean of each three-point estimate (expected value, R-109)",
                 "likely": "most likely value of each three-point estimate"}


def _clean(value: Any) -> Any:
    """A JSON value: NaN and infinities become None, numpy numbers Python numbers (every cba result's to_dict)."""
    if isinstance(value, (float, np.floating)):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


@dataclass
class CostBenefit:
    """The R-109 cost-benefit analysis of a decision: point estimate, simulation and the table, in one unit.

    The headline (:meth:`headline`) is incremental, as R-109 and DFØ ask: each option against the 0-alternative
    (``reference``; in a decision without one, the option with the highest NPV, ``reference_kind == "best"``).
    ``table`` keeps the absolute measures beside the increments, amounts in ``unit``. ``available`` is False when
    the decision has no cash flows; ``message`` then says so in one sentence.
    """

    result: CbaResult | None  # None when not available
    simulation: Simulation | None  # None without a simulation (samples 0)
    table: pd.DataFrame  # per option: NPV, ΔNPV, P10..P90, probabilities; `screened_out` names the must-pass rule
    unit: str = "NOK"
    params: CbaParameters | None = None
    reference: str | None = None
    reference_kind: str = "zero"
    available: bool = True
    message: str = ""
    case: str = ""
    decision: str = ""
    base_year: int | None = None
    effects: Effects | None = None
    who_pays: WhoPays | None = None
    #: the expected enforcement risk costs included in the cash flows (:func:`procurement.cba.case_flows.risk_lines`)
    risk: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: the rank correlation asked for between cost categories (None: independent)
    correlation: float | None = None
    #: assumptions of a result that is not available (the one sentence of ``message``)
    notes: list[Assumption] = field(default_factory=list)
    #: DFØ's combined assessment as the case gives it (``assessment.yaml``); None: the case ranks nothing overall
    assessment: DecisionAssessment | None = None

    # --- what it used ---------------------------------------------------------------------------------------
    @property
    def point_estimate(self) -> str:
        """``expected`` (the mean of each three-point estimate, R-109's expected value) or ``likely``."""
        return "likely" if self.params is not None and self.params.point_estimate == "likely" else "expected"

    @property
    def discount(self) -> pd.DataFrame:
        """Year, t, rate and discount factor of each year of the analysis period (empty without cash flows)."""
        return self.result.discount.copy() if self.result is not None else pd.DataFrame()

    def in_unit(self, unit: str) -> CostBenefit:
        """This result with its amounts in `unit` (NOK, kNOK or MNOK): money columns only, never a ratio or a share."""
        if unit == self.unit:
            return self
        if unit not in UNITS:
            raise ValueError(f"unknown unit '{unit}'; one of {', '.join(UNITS)}")
        t = self.table.copy()
        for c in t.columns:
            if is_money(c) and pd.api.types.is_numeric_dtype(t[c]):
                t[c] = t[c] * UNITS[self.unit] / UNITS[unit]
        return dataclasses.replace(self, table=t, unit=unit)

    # --- tables ----------------------------------------------------------------------------------------------
    def _screened(self) -> pd.Series:
        if "screened_out" not in self.table.columns:
            return pd.Series("", index=self.table.index)
        return self.table["screened_out"].fillna("").astype(str)

    def _ordered(self, t: pd.DataFrame, by: str) -> pd.DataFrame:
        """Best first by `by`; screened-out options last."""
        t = t.sort_values(by, ascending=False, kind="stable")
        out = self._screened().reindex(t.index).fillna("") != ""
        return pd.concat([t[~out], t[out]])

    @property
    def uses_residual_value(self) -> bool:
        """Whether the analysis counts a residual value (a method other than ``none`` and a lifetime set)."""
        p = self.params
        return p is not None and p.residual_value_method != "none" and p.measure_lifetime_years is not None

    def headline(self) -> pd.DataFrame:
        """Per option: ΔNPV without residual value (point estimate), ΔNPV with it and the share that comes from it (equal
        and 0 when none is used), P10/P50/P90 of ΔNPV, P(ΔNPV > 0), net benefit per budget krone on the increments,
        mean ΔNPV, and ``screened_out``; best ΔNPV without residual value first, screened-out options last."""
        if not self.available:
            return pd.DataFrame(columns=[*HEADLINE_COLUMNS, "screened_out"])
        cols = [c for c in HEADLINE_COLUMNS if c in self.table.columns]
        return self._ordered(self.table[[*cols, "screened_out"]].copy(), "incremental_npv_without_residual")

    def increments(self) -> pd.DataFrame:
        """The increments the report leads with: ΔNPV named by its point estimate (``incremental_npv_expected``),
        P10/P50/P90, P(ΔNPV > 0), net benefit per budget krone (only against a 0-alternative); the reference option left
        out; best first.

        Where a residual value is used, the first column is ΔNPV without it (``incremental_npv_without_residual_expected``)
        and ΔNPV with it (``incremental_npv_with_residual_expected``) and ``residual_share`` follow; the simulated
        percentiles and P(ΔNPV > 0) are then of ΔNPV with residual value.
        """
        if not self.available:
            return pd.DataFrame()
        point = f"incremental_npv_{self.point_estimate}"
        if self.uses_residual_value:
            names = {"incremental_npv_without_residual": f"incremental_npv_without_residual_{self.point_estimate}",
                     "incremental_npv": f"incremental_npv_with_residual_{self.point_estimate}"}
            first = [*names.values(), "residual_share"]
        else:
            names = {"incremental_npv": point}
            first = [point]
        cols = [*first, "incremental_npv_P10", "incremental_npv_P50", "incremental_npv_P90", "p_incremental_positive"]
        if self.reference_kind != "best":  # a difference against the best option has no budget krone to divide by
            cols.append("incremental_net_benefit_per_krone")
        t = self.table.rename(columns=names)
        t = t[[c for c in cols if c in t.columns]].drop(index=[self.reference], errors="ignore").copy()
        return self._ordered(t, first[0])

    def absolute(self) -> pd.DataFrame:
        """The absolute measures, second: NPV at the point estimate (``npv_expected``) and its parts, NPV P10/P50/P90,
        P(NPV > 0), P(best); best NPV first."""
        if not self.available:
            return pd.DataFrame()
        point = f"npv_{self.point_estimate}"
        t = self.table.rename(columns={"npv": point})
        cols = [point, *ABSOLUTE_COLUMNS[1:]]
        return self._ordered(t[[c for c in cols if c in t.columns]].copy(), point)

    def frames(self) -> pd.DataFrame:
        """The investment estimate with its steering frame (P50) and cost frame (P85), beside the PV of life-cycle costs
        with its own P50/P85 (a different measure, not a cost frame)."""
        if not self.available:
            return pd.DataFrame()
        point = f"investment_{self.point_estimate}"
        t = self.table.rename(columns={"investment": point, "investment_P50": "steering_frame", "investment_P85": "cost_frame"})
        cols = [point, *FRAMES_COLUMNS[1:]]
        t = t[[c for c in cols if c in t.columns]].copy()
        return self._ordered(t, "steering_frame" if "steering_frame" in t.columns else point)

    def leader(self) -> str | None:
        """The open option with the highest ΔNPV (the reference option itself where it is the best)."""
        if not self.available:
            return None
        if self.reference_kind == "best":
            return str(self.reference)
        t = self.increments()
        t = t[self._screened().reindex(t.index).fillna("") == ""]
        return str(t.index[0]) if len(t) else None

    def combined(self) -> pd.DataFrame:
        """DFØ's phase 5: one row per option (reference left out), priced and non-priced effects side by side.

        With the case's assessment (``assessment.yaml``) the rows follow its overall ranking (``overall_rank``;
        ``case_reasoning`` holds its reason, a :class:`~procurement.cba.assessment.Reason`), which can differ from
        the ΔNPV order (``npv_rank``); options it leaves out follow in ΔNPV order without an overall rank. Without one,
        the rows are in ΔNPV order and ``overall_rank`` is empty: the workbench does not weigh the effects itself.
        Other columns: ΔNPV at the point estimate (``incremental_npv_expected``), ``p_incremental_positive``,
        ``n_plus``, ``n_minus`` and ``strongest`` (the strongest non-priced consequences), ``better_than_above``
        (the option just above in ΔNPV order whose non-priced effects are worse by the net count of signs),
        ``screened_out``. The signs are never added into the NPV. Screened-out options come last.
        """
        if not self.available:
            return pd.DataFrame()
        t = self.increments()
        point = t.columns[0]
        screened = self._screened()
        rows: list[dict[str, Any]] = []
        above: str | None = None
        above_net: int | None = None
        for npv_rank, (o, r) in enumerate(t.iterrows(), start=1):
            counts: dict[str, Any] = (self.effects.counts(str(o)) if self.effects is not None
                                      else {"n_plus": 0, "n_minus": 0, "net": 0, "strongest": []})
            better: str | None = above if above_net is not None and counts["net"] > above_net else None
            out = bool(screened.get(o, ""))
            case_rank = None if self.assessment is None or out else self.assessment.rank(str(o))
            rows.append({"option": o, "overall_rank": case_rank, "npv_rank": npv_rank, point: r[point],
                         "p_incremental_positive": r.get("p_incremental_positive", np.nan),
                         "n_plus": counts["n_plus"], "n_minus": counts["n_minus"], "strongest": counts["strongest"],
                         "better_than_above": better, "screened_out": screened.get(o, ""),
                         "case_reasoning": self.assessment.reasoning.get(str(o)) if case_rank is not None
                         and self.assessment is not None else None})
            above, above_net = str(o), counts["net"]
        frame = pd.DataFrame(rows)
        order = frame.assign(_out=frame["screened_out"] != "", _case=frame["overall_rank"].isna(),
                             _rank=frame["overall_rank"].fillna(0))
        frame = frame.loc[order.sort_values(["_out", "_case", "_rank", "npv_rank"], kind="stable").index]
        frame["overall_rank"] = frame["overall_rank"].astype("Int64")
        return frame.set_index(pd.Index(frame.pop("option"), name="option"))

    def s_curve(self, measure: str = "incremental_npv", points: int = 201) -> pd.DataFrame:
        """The S-curve of each option's ΔNPV (or another simulated measure) in this result's unit: long form
        ``option, measure, probability, value``; the reference option is left out of ΔNPV. Empty without a simulation."""
        if not self.available or self.simulation is None:
            return pd.DataFrame(columns=["option", "measure", "probability", "value"])
        if measure == "incremental_npv" and "incremental_npv" not in self.simulation.stats.get("percentiles", {}):
            measure = "npv"
        data = s_curve_data(self.simulation, measure, points)
        if measure == "incremental_npv" and self.reference is not None:
            data = data[data["option"] != self.reference]
        return data.assign(value=data["value"] / UNITS[self.unit]).reset_index(drop=True)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    # --- JSON ------------------------------------------------------------------------------------------------
    def _money(self, x: Any) -> float:
        return float(x) / UNITS[self.unit]

    def _headline_dict(self) -> dict[str, Any]:
        """The increments against the reference option: what the JSON leads with."""
        rows = []
        for option, r in self.headline().iterrows():
            if option == self.reference:
                continue
            row = {"option": option, "incremental_npv_without_residual": _clean(float(r["incremental_npv_without_residual"])),
                   "incremental_npv": _clean(float(r["incremental_npv"])), "residual_share": _clean(float(r["residual_share"]))}
            for k in ("incremental_npv_P10", "incremental_npv_P50", "incremental_npv_P90", "incremental_npv_mean",
                      "p_incremental_positive", "incremental_net_benefit_per_krone"):
                if k in r.index:
                    row[k] = _clean(float(r[k]))
            row["screened_out"] = r.get("screened_out", "") or None
            rows.append(row)
        beaten = None
        if self.reference_kind == "best" and self.simulation is not None and self.reference in self.simulation.options:
            beaten = _clean(1.0 - float(self.simulation.p_best()[self.reference]))
        return {"reference": self.reference, "reference_kind": self.reference_kind, "p_reference_beaten": beaten,
                "point_estimate": self.point_estimate,
                "residual_value": self.uses_residual_value,
                "point_estimate_meaning": POINT_MEANING[self.point_estimate], "unit": self.unit, "options": rows}

    def _simulation_dicts(self) -> dict[str, dict[str, Any]]:
        """Per option: the simulated percentiles (money in the unit), mean NPV and probabilities, for the JSON."""
        sim = self.simulation
        assert sim is not None
        m = self._money
        tables = {"investment": sim.percentiles("investment"), "npv": sim.percentiles("npv"),
                  "pv_costs": sim.percentiles("pv_costs", (50, 85))}
        increments = "incremental_npv" in sim.stats.get("percentiles", {})
        if increments:
            tables["incremental_npv"] = sim.percentiles("incremental_npv")
        rows = {name: t.to_dict("index") for name, t in tables.items()}
        npv_mean, p_npv, p_best, p_cheap = (x.to_dict() for x in (sim.mean("npv"), sim.p_npv_positive(), sim.p_best(),
                                                                     sim.p_cheapest()))
        p_inc = sim.p_incremental_positive().to_dict() if increments else {}
        out = {}
        for option in sim.options:
            one: dict[str, Any] = {name: {k: m(v) for k, v in rows[name][option].items()}
                                   for name in ("investment", "npv", "pv_costs")}
            one.update({"npv_mean": m(npv_mean[option]), "p_npv_positive": float(p_npv[option]),
                        "p_best": float(p_best[option]), "p_cheapest": float(p_cheap[option])})
            if increments:
                one["incremental_npv"] = {k: m(v) for k, v in rows["incremental_npv"][option].items()}
                one["p_incremental_positive"] = _clean(float(p_inc[option]))
            out[option] = one
        return out

    def _option_rows(self) -> list[dict[str, Any]]:
        assert self.result is not None
        columns = list(self.result.table.columns)
        effects = self.effects.by_option().to_dict("index") if self.effects is not None else {}
        simulated = self._simulation_dicts() if self.simulation is not None else {}
        values: dict[Any, dict[Any, Any]] = self.table[columns].to_dict("index")
        rows = []
        for option in self.result.options:
            row: dict[str, Any] = {"option": option}
            row.update({k: _clean(float(values[option][k])) for k in columns})
            if option in simulated:
                row["simulation"] = simulated[option]
            if option in effects:
                row["effects"] = {str(k): (int(v) if str(k).startswith("n_") else v) for k, v in effects[option].items()}
            if self.who_pays is not None:
                row.update(self.who_pays.option_dict(option, self.unit))
            rows.append(row)
        return rows

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, full precision, NaN as None: exactly what ``procurement cba --format json`` prints.

        The increments first (``incremental``), then the case, the unit and prices, the analysis period, every
        parameter with its citation, the discount factors, the simulation's settings, one row per option (in the
        decision's order) with its measures, simulated percentiles, non-monetised effects and who pays, then
        ``who_pays`` and the ``assumptions``. A decision without cash flows gives ``available: false`` and the message.
        """
        if not self.available:
            return {"available": False, "message": self.message}
        assert self.result is not None and self.params is not None
        t, sim = self.result.timeline, self.simulation
        doc: dict[str, Any] = {
            "incremental": self._headline_dict(),
            "case": self.case,
            "decision": self.decision,
            "unit": self.unit,
            "prices": f"real {self.base_year} {self.unit}",
            "base_year": self.base_year,
            "discount_year": t.start,
            "analysis_period": {"start": t.start, "end": t.end, "years": t.period},
            "zero_option": self.result.zero,
            "parameters": self.params.cited(),
            "parameters_file": self.params.source,
            "discount_factors": [{"year": int(r["year"]), "t": int(r["t"]), "rate": _clean(float(r["rate"])),
                                  "factor": float(r["factor"])} for r in self.result.discount.to_dict("records")],
            "simulation": None if sim is None else {
                "samples": sim.n, "seed": sim.seed, "distribution": sim.distribution, "correlation": sim.meta["correlation"],
                "percentiles": "Pxx = value not exceeded with probability xx %",
                "common_random_numbers": sim.meta.get("common"),
            },
            "options": self._option_rows(),
        }
        if self.who_pays is not None:
            doc["who_pays"] = self.who_pays.to_dict(self.unit)
        doc["assessment"] = None if self.assessment is None else self.assessment.to_dict()
        doc["assumptions"] = [a.to_dict() for a in self.assumptions]
        return doc

    # --- what it assumed -------------------------------------------------------------------------------------
    @property
    def assumptions(self) -> list[Assumption]:
        """One entry per parameter or assumption the analysis used: the sentences a report prints."""
        if not self.available or self.result is None or self.params is None:
            return list(self.notes)
        return analysis_assumptions(self)

    def describe(self, language: str = "nb") -> list[str]:
        """One sentence per assumption in `language`."""
        return describe(self.assumptions, language)


def _discount_assumptions(p: CbaParameters) -> list[Assumption]:
    """The declining discount rate, one sentence per band of years."""
    if len(p.discount_rates) == 1:
        return [Assumption("cba.discount_single", {"rate": p.discount_rates[0]})]
    out, first = [], 1
    for rate, last in zip(p.discount_rates, p.discount_breaks, strict=False):
        out.append(Assumption("cba.discount_band", {"rate": rate, "first": first, "last": last}))
        first = last + 1
    out.append(Assumption("cba.discount_after", {"rate": p.discount_rates[-1], "first": first}))
    return out


def _residual_assumption(p: CbaParameters) -> Assumption:
    if p.residual_value_method == "none" or p.measure_lifetime_years is None:
        return Assumption("cba.residual_none", {})
    if p.residual_value_method == "linear":
        return Assumption("cba.residual_linear", {"years": p.measure_lifetime_years})
    return Assumption("cba.residual_net_effects", {"years": p.measure_lifetime_years})


def _simulation_assumptions(cb: CostBenefit) -> list[Assumption]:
    sim = cb.simulation
    if sim is None:
        return [Assumption("cba.no_simulation", {})]
    out = [Assumption(f"cba.simulation_{sim.distribution}", {"samples": sim.n, "seed": sim.seed})]
    common = float(sim.meta.get("common", 1.0))
    if common >= 1.0:
        out.append(Assumption("cba.common_full", {}))
    elif common <= 0.0:
        out.append(Assumption("cba.common_none", {}))
    else:
        out.append(Assumption("cba.common_share", {"share": common}))
    if cb.correlation:
        out.append(Assumption("cba.correlation", {"rho": cb.correlation}))
    return out


def analysis_assumptions(cb: CostBenefit) -> list[Assumption]:
    """The assumptions of an available analysis, in the order a reader needs them."""
    assert cb.result is not None and cb.params is not None
    p, t = cb.params, cb.result.timeline
    out = [Assumption("cba.reference_zero" if cb.reference_kind == "zero" else "cba.reference_best",
                      {"reference": cb.reference}),
           Assumption("cba.prices", {"base_year": cb.base_year, "discount_year": t.start, "unit": cb.unit}),
           Assumption("cba.analysis_period", {"start": t.start, "end": t.end, "years": t.period}),
           *_discount_assumptions(p),
           Assumption("cba.benefit_growth", {"growth": p.benefit_real_growth}),
           Assumption("cba.tax_financing_cost", {"tax": p.tax_financing_cost}),
           Assumption("cba.public_benefit_share", {"share": p.public_benefit_share}) if p.public_benefit_share > 0
           else Assumption("cba.benefits_to_society", {}),
           _residual_assumption(p),
           Assumption(f"cba.point_{cb.point_estimate}", {}),
           *_simulation_assumptions(cb)]
    if cb.effects is not None:
        out += cb.effects.assumptions
    if cb.assessment is not None:
        out.append(Assumption("cba.combined_case", {"source": cb.assessment.source}))
    else:
        out.append(Assumption("cba.combined_npv_order", {}))
    if cb.who_pays is not None:
        out += cb.who_pays.assumptions
    return out


__all__ = ["ABSOLUTE_COLUMNS", "FRAMES_COLUMNS", "HEADLINE_COLUMNS", "CostBenefit", "analysis_assumptions"]
