"""The cost-benefit section of the report (notebooks 04 and 07): tables with labels, and sentences.

The engine computes (:meth:`procurement.Analysis.cba`, ``.effects()``, ``.who_pays()``, ``.uptake()``, and the
tables of :class:`procurement.CostBenefit`); this module only renders what an advisor reads, in bokmål or English:
it names the options (screened-out ones marked and listed last), translates words through
:mod:`procurement.text.labels` and writes sentences through :mod:`procurement.text.sentences`:

* :func:`headline_table`: the increments against the 0-alternative first, as R-109 and DFØ ask (ΔNPV at the named
  point estimate, P10/P50/P90 of ΔNPV, P(ΔNPV > 0), net benefit per budget krone on the increments);
* :func:`absolute_table` (explained by :func:`absolute_note`) and :func:`frames_table`;
* :func:`plus_minus_table` and :func:`combined_assessment`: the non-priced effects and DFØ's phase 5;
* :func:`risk_table`, :func:`parameters_table`, :func:`discount_table`;
* who pays and how many must join: :func:`who_pays_intro`, :func:`financing_table`, :func:`per_inhabitant_table`,
  :func:`uptake_table`, :func:`uptake_figure`, :func:`uptake_scenarios_table`;
* :func:`assumptions`: the sentences of every parameter the analysis used, which the report prints instead of
  typing them; :func:`summary_findings` for the summary 07.

Probabilities stay shares (0-1) in tables; the report writes them as percentages with one decimal
(:func:`procurement.text.fmt.probability`), and :func:`percent` does the same for text.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from IPython.display import Markdown

import procurement as pw
from procurement.plots.uptake import uptake_curve_figure
from procurement.report.notebook import md
from procurement.text import fmt
from procurement.text.labels import label
from procurement.text.sentences import sentence

#: Parameters that are shares (shown as percentages).
_PERCENT_PARAMETERS = {"discount_rates", "tax_financing_cost", "benefit_real_growth", "public_benefit_share", "p_steering",
                       "p_cost_frame", "common_random_numbers", "common_random_numbers_without_zero"}


def _lang(language: str) -> str:
    """The report language: English, or bokmål for anything else."""
    return {"en": "en"}.get(language, "nb")


def _column(base: str, lang: str) -> str:
    """The column of a data file's text in the language: ``label_nb`` for bokmål, ``label`` (English) otherwise."""
    return {"nb": f"{base}_nb"}.get(lang, base)


def _bullets(lines: list[str]) -> Markdown:
    return Markdown("\n".join(f"- {line}" for line in lines))


def percent(p: float | None, language: str = "nb") -> str:
    """A probability as a percentage with one decimal, never rounded to 0 % or 100 % when it is not (fmt.probability)."""
    return fmt.probability(p, _lang(language), 1)


def point_estimate_name(cb: pw.CostBenefit) -> str:
    """``expected`` or ``likely``: which amount of each three-point estimate the deterministic NPV uses."""
    return str(cb.point_estimate)


def point_estimate_text(cb: pw.CostBenefit, language: str = "nb") -> str:
    """The point estimate in words, for a sentence ("the expected value (the mean of ...)")."""
    return label(f"cba.point_long.{point_estimate_name(cb)}", _lang(language))


def point_label(cb: pw.CostBenefit, language: str = "nb") -> str:
    """Short name of the point estimate for headers: ``forventningsverdi`` / ``expected value``."""
    return label(f"cba.point.{point_estimate_name(cb)}", _lang(language))


def _marked_name(names: dict[str, str], option: str, screened: bool, lang: str) -> str:
    name = names.get(option, option)
    return f"{name} {label('cba.screened_out_mark', lang)}" if screened else name


def _marked(t: pd.DataFrame, cb: pw.CostBenefit, decision, language: str) -> pd.DataFrame:
    """`t` with the options' names (screened-out ones marked) first and, when any is screened out, ``excluded_by``."""
    lang = _lang(language)
    names = decision.option_labels(lang)
    out = cb.table["screened_out"].fillna("").astype(str) if "screened_out" in cb.table.columns else pd.Series(dtype=str)
    t.insert(0, "label", [_marked_name(names, str(o), bool(out.get(o, "")), lang) for o in t.index])
    if out.ne("").any():
        t["excluded_by"] = out.reindex(t.index).fillna("")
    t.index.name = "option"
    return t


def reference_sentence(cb: pw.CostBenefit, decision, language: str = "nb") -> str:
    """What ΔNPV is measured against, and which point estimate the deterministic numbers use."""
    lang = _lang(language)
    point = point_estimate_text(cb, lang)
    if cb.reference_kind == "best":
        ref = decision.option_labels(lang).get(cb.reference, cb.reference)
        return sentence("cba.text.reference_best", lang, reference=ref, point=point)
    return sentence("cba.text.reference_zero", lang, point=point)


def headline_table(cb: pw.CostBenefit, decision, language: str = "nb", unit: str = "MNOK") -> pd.DataFrame:
    """The increments against the reference option, best ΔNPV first (in `unit`; probabilities as shares).

    Columns: ``label``, ``incremental_npv_expected`` (or ``_likely``: the point estimate named),
    ``incremental_npv_P10/P50/P90`` (simulated), ``p_incremental_positive`` and ``incremental_net_benefit_per_krone``
    (ΔNPV per krone of net public spending beyond the reference's; empty where the option spends less),
    ``excluded_by`` when any option is screened out. The reference option itself (ΔNPV 0 by definition) is left out.
    """
    if not cb.available:
        return pd.DataFrame()
    return _marked(cb.in_unit(unit).increments(), cb, decision, language)


#: Columns of :func:`drivers_table`.
DRIVER_COLUMNS = ["label", "driver_option", "driver_category", "incremental_npv", "delta_at_low", "delta_at_high",
                  "share_of_difference", "source", "source_illustrative"]


def drivers_intro(analysis: pw.Analysis, language: str = "nb") -> Markdown:
    """Markdown: what the drivers table lists, for a decision without a 0-alternative (its differences between options
    are the whole result); nothing otherwise (``Analysis.drivers()`` gives them for any decision)."""
    lang = _lang(language)
    cb = analysis.cba()
    d = analysis.drivers() if cb.available and cb.reference_kind == "best" else None
    if d is None:
        return Markdown("")
    ref = analysis.decision.option_labels(lang).get(d.reference, d.reference)
    return Markdown(md(sentence("cba.drivers", lang, threshold=d.threshold, reference=ref)))


def drivers_table(analysis: pw.Analysis, language: str = "nb", unit: str = "MNOK") -> pd.DataFrame:
    """Every group of estimates that moves an option's ΔNPV by more than 10 % of it: the option, the option whose
    category moves, the category, ΔNPV and its change at the group's low and high (`unit`), the share, the source and
    whether the source calls it illustrative. Screened-out options are left out. Shown for a decision without a
    0-alternative; empty otherwise, and when nothing moves that much."""
    cb = analysis.cba()
    d = analysis.drivers(unit=unit) if cb.available and cb.reference_kind == "best" else None
    if d is None or d.table.empty:
        return pd.DataFrame(columns=DRIVER_COLUMNS)
    lang = _lang(language)
    names, out = analysis.decision.option_labels(lang), analysis.screened_out()
    t = d.table[~d.table["option"].map(lambda o: bool(out.get(str(o))))].copy()
    t.insert(0, "label", [names.get(str(o), str(o)) for o in t["option"]])
    t["driver"] = [names.get(str(o), str(o)) for o in t["driver"]]
    t["category"] = [label(f"cba.category.{c}", lang) for c in t["category"]]
    t["illustrative"] = [label("yes" if v else "no", lang) for v in t["illustrative"]]
    t = t.rename(columns={"illustrative": "source_illustrative"})
    t = t.drop(columns="option").rename(columns={"driver": "driver_option", "category": "driver_category",
                                                 "at_low": "delta_at_low", "at_high": "delta_at_high",
                                                 "share": "share_of_difference"}).reset_index(drop=True)
    return t[DRIVER_COLUMNS].rename(columns={"incremental_npv": f"incremental_npv_{cb.point_estimate}"})


def absolute_table(cb: pw.CostBenefit, decision, language: str = "nb", unit: str = "MNOK") -> pd.DataFrame:
    """The absolute measures, second: NPV at the point estimate and its parts, NPV P10/P50/P90, P(NPV > 0), P(best)."""
    if not cb.available:
        return pd.DataFrame()
    return _marked(cb.in_unit(unit).absolute(), cb, decision, language)


def absolute_note(cb: pw.CostBenefit, language: str = "nb") -> str:
    """Why the absolute NPVs are negative and what to read from them."""
    return sentence("cba.text.absolute_note", _lang(language))


def frames_table(cb: pw.CostBenefit, decision, language: str = "nb", unit: str = "MNOK") -> pd.DataFrame:
    """The investment estimate with its steering frame (P50) and cost frame (P85), beside the PV of life-cycle costs.

    The state project model applies P50/P85 to the investment cost estimate (undiscounted, real prices); the present
    value of all costs (P50/P85) is a different measure and is labelled as such.
    """
    if not cb.available:
        return pd.DataFrame()
    return _marked(cb.in_unit(unit).frames(), cb, decision, language)


def frames_note(language: str = "nb") -> str:
    return sentence("cba.text.frames_note", _lang(language))


def risk_table(analysis: pw.Analysis, language: str = "nb") -> pd.DataFrame:
    """The expected enforcement risk costs in the cash flows: option, year, event, MNOK, source."""
    lang = _lang(language)
    lines = analysis.cba().risk
    if lines.empty:
        lines = pd.DataFrame(columns=["option", "year", "event_nb", "event_en", "mnok", "source", "source_nb"])
    names = analysis.decision.option_labels(lang)
    out = pd.DataFrame({
        "label": [names.get(o, o) for o in lines["option"]],
        "year": lines["year"].astype("int64"),
        "event": lines[f"event_{lang}"],
        "expected_cost": lines["mnok"].astype(float),
        "source": lines[_column("source", lang)],
    })
    return out.reset_index(drop=True)


def intro(cb: pw.CostBenefit, decision, language: str = "nb") -> Markdown:
    """Markdown: what ΔNPV is measured against and the point estimate, or the one sentence for a decision without cash
    flows."""
    if not cb.available:
        return Markdown(cb.message)
    return Markdown(reference_sentence(cb, decision, language))


def assumptions(cb: pw.CostBenefit, language: str = "nb") -> Markdown:
    """Markdown bullets: one sentence per parameter and assumption the analysis used (``cb.describe``)."""
    return _bullets([md(s) for s in cb.describe(_lang(language))])


def findings(cb: pw.CostBenefit, decision, language: str = "nb", unit: str = "MNOK") -> Markdown:
    """Markdown bullets for the summary: the best ΔNPV among open options, how sure, and per krone."""
    return _bullets(finding_lines(cb, decision, language, unit))


def finding_lines(cb: pw.CostBenefit, decision, language: str = "nb", unit: str = "MNOK") -> list[str]:
    """The cost-benefit findings as Markdown lines (names escaped)."""
    lang = _lang(language)
    if not cb.available:
        return [cb.message]
    t = headline_table(cb, decision, lang, unit)
    if "excluded_by" in t.columns:
        t = t[t["excluded_by"].astype(str) == ""]
    if not len(t):
        return []
    point = t.columns[1]
    best = t.iloc[0]
    p = percent(best.get("p_incremental_positive"), lang)
    name = md(best["label"])
    if cb.reference_kind == "best":
        ref = md(decision.option_labels(lang).get(cb.reference, cb.reference))
        return [sentence("cba.text.finding_best", lang, reference=ref, name=name, amount=fmt.money(-float(best[point]), lang),
                         point=point_label(cb, lang), p=p)]
    ratio = best.get("incremental_net_benefit_per_krone")
    per = fmt.number(float(ratio), lang, 2) if ratio == ratio and ratio is not None else "–"
    return [sentence("cba.text.finding_zero", lang, name=name, amount=fmt.money(float(best[point]), lang),
                     point=point_label(cb, lang), p=p, per=per)]


def discount_table(cb: pw.CostBenefit) -> pd.DataFrame:
    """Year, t, rate and discount factor of each year of the analysis period (empty without cash flows)."""
    return cb.discount


def _one_value(name: str, v: Any, lang: str) -> str:
    if isinstance(v, bool) or v is None:
        return "–"
    if isinstance(v, str):
        key = f"cba.value.{v}"
        return label(key, lang) if label(key, lang) != key else v
    if name in _PERCENT_PARAMETERS:
        return fmt.percent(float(v), lang, _decimals(float(v) * 100))
    return fmt.number(float(v), lang, _decimals(float(v)))


def _decimals(x: float) -> int:
    """The fewest decimals (up to 4) that write ``x`` exactly: 4 → 0, 0.8 → 1."""
    return next((d for d in range(4) if abs(round(x, d) - x) < 1e-9), 4)


def parameter_value(name: str, value: Any, language: str = "nb") -> str:
    """A parameter's value for a report: shares as percentages (``4 %, 3 %, 2 %``), numbers through
    :mod:`procurement.text.fmt`, text values in words of the report language, no value ``–``."""
    lang = _lang(language)
    if isinstance(value, (list, tuple)):
        return ", ".join(_one_value(name, v, lang) for v in value)
    return _one_value(name, value, lang)


def parameters_table(cb: pw.CostBenefit, language: str = "nb") -> pd.DataFrame:
    """Every R-109 parameter used: its name in words, value (formatted), citation and whether it was verified.

    The name and citation come from ``r109.yaml`` in the report language (``label: {nb, en}``, ``citation_nb``); an
    English report keeps the English citation.
    """
    if cb.params is None:
        return pd.DataFrame()
    lang = _lang(language)
    rows = []
    for r in cb.params.cited():
        names = r.get("label") or {}
        citation = {"nb": r.get("citation_nb")}.get(lang) or r["citation"]
        rows.append({"parameter": names.get(lang) or r["parameter"], "value": parameter_value(r["parameter"], r["value"], lang),
                     "citation": citation, "verified": label("yes" if r["verified"] else "no", lang)})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- non-priced effects


def _open_first(analysis: pw.Analysis, options: list[str]) -> list[str]:
    out = analysis.screened_out()
    return [o for o in options if not out.get(o)] + [o for o in options if out.get(o)]


def plus_minus_table(analysis: pw.Analysis, language: str = "nb") -> pd.DataFrame:
    """Effects (rows) × options (columns): importance, then the consequence ``++++`` .. ``----`` per option.

    Empty when the decision has no non-priced effects. Option columns are named by the options' labels (screened-out
    ones marked).
    """
    effects = analysis.effects()
    if effects is None:
        return pd.DataFrame()
    lang = _lang(language)
    names, out = analysis.decision.option_labels(lang), analysis.screened_out()
    options = _open_first(analysis, [o for o in analysis.decision.option_ids if o in set(effects.table["option"])])
    m = effects.matrix(options)
    t = pd.DataFrame({"effect": m[_column("label", lang)],
                      "importance": [effects.plus_minus.importance_label(i, lang) for i in m["importance"]]}, index=m.index)
    for o in options:
        t[_marked_name(names, o, bool(out.get(o)), lang)] = m[o].to_numpy()
    return t.reset_index(drop=True)


def _signs(lang: str, row: pd.Series, have: bool) -> str:
    if not have:
        return "–"
    words = ", ".join(f"{s['consequence']} {s[_column('label', lang)]}" for s in row["strongest"])
    key = "cba.text.signs_strongest" if words else "cba.text.signs"
    return sentence(key, lang, plus=row["n_plus"], minus=row["n_minus"], words=words)


def _reason(lang: str, row: pd.Series, point: str, unit: str, above: str | None, have: bool) -> str:
    p = row["p_incremental_positive"]
    parts = [sentence("cba.text.reason_priced", lang, amount=float(row[point]), unit=unit,
                      p=percent(p, lang) if p is not None and p == p else "–")]
    if have:
        parts.append(sentence("cba.text.reason_non_priced", lang, plus=row["n_plus"], minus=row["n_minus"]))
    if above:
        parts.append(sentence("cba.text.reason_better_than_above", lang, above=above))
    if row["screened_out"]:
        parts.append(sentence("cba.text.reason_screened", lang))
    return "; ".join(parts) + "."


def combined_assessment(analysis: pw.Analysis, cb: pw.CostBenefit, language: str = "nb", unit: str = "MNOK") -> pd.DataFrame:
    """DFØ's phase 5: priced and non-priced effects of each option side by side, and the overall ranking.

    The overall ranking and its reasoning are the case's own (``assessment.yaml``, :meth:`procurement.CostBenefit.combined`)
    and can differ from the ΔNPV order (``npv_rank``); without it the rows are in ΔNPV order, ``overall_rank`` is
    empty and the reasoning states only the facts: how sure the priced result is (P(ΔNPV > 0)) and whether the
    non-priced effects point against the order. The plus-minus signs are not added into the NPV. Screened-out
    options are last and marked.
    """
    lang = _lang(language)
    if not cb.available:
        return pd.DataFrame()
    combined = cb.in_unit(unit).combined()
    point = next(c for c in combined.columns if str(c).startswith("incremental_npv"))
    names = analysis.decision.option_labels(lang)
    label_of = {str(o): _marked_name(names, str(o), bool(r["screened_out"]), lang) for o, r in combined.iterrows()}
    have = cb.effects is not None
    rows = []
    for o, r in combined.iterrows():
        reason = r["case_reasoning"]
        rank = r["overall_rank"]
        rows.append({"overall_rank": None if pd.isna(rank) else int(rank), "npv_rank": int(r["npv_rank"]),
                     "label": label_of[str(o)], point: r[point], "p_incremental_positive": r["p_incremental_positive"],
                     "non_priced": _signs(lang, r, have),
                     "reasoning": md(reason.text(lang)) if reason is not None
                     else _reason(lang, r, point, unit, label_of.get(str(r["better_than_above"])), have)})
    out = pd.DataFrame(rows, index=pd.Index(combined.index, name="option"))
    out["overall_rank"] = out["overall_rank"].astype("Int64")
    out.attrs["reference"] = names.get(str(cb.reference), cb.reference)
    return out


def combined_intro(cb: pw.CostBenefit, language: str = "nb") -> Markdown:
    """Markdown: whether the overall ranking is the case's own judgement (with its source) or only the ΔNPV order."""
    lang = _lang(language)
    if not cb.available:
        return Markdown("")
    if cb.assessment is not None:
        return Markdown(md(sentence("cba.combined_case", lang, source=cb.assessment.source)))
    return Markdown(sentence("cba.combined_npv_order", lang))


def combined_note(language: str = "nb") -> str:
    return sentence("cba.text.combined_note", _lang(language))


# --------------------------------------------------------------------------- who pays, how many must join


def _who_pays(analysis: pw.Analysis) -> Any:
    """Financing and uptake of the analysis's decision (:meth:`procurement.Analysis.who_pays`), or None."""
    return analysis.who_pays()


def _financing(analysis: pw.Analysis) -> Any:
    """Who pays for each option (:class:`procurement.FinancingResult`), or None without a financing model."""
    summary = _who_pays(analysis)
    return None if summary is None else summary.financing


def who_pays_intro(analysis: pw.Analysis, language: str = "nb") -> Markdown:
    """Markdown: what the financing and uptake sections rest on, or one sentence why the decision has none."""
    lang = _lang(language)
    summary = _who_pays(analysis)
    if summary is None:
        return Markdown(sentence("cba.text.no_who_pays_files", lang))
    fin, upt = summary.financing, summary.uptake
    parts = []
    if fin is None:
        parts.append(sentence("cba.text.no_financing", lang))
    if upt is None:
        parts.append(sentence("cba.text.no_uptake", lang))
    else:
        c = upt.condition
        parts.append(sentence("cba.text.population", lang, population=upt.population))
        parts.append(md(sentence("cba.uptake_condition" if c.verified else "cba.uptake_condition_unverified", lang,
                                 share=c.min_population_share, citation=c.citation, citation_nb=c.citation_in("nb"))))
    if (fin is not None and fin.illustrative) or (upt is not None and upt.model.illustrative):
        parts.append(sentence("cba.text.illustrative", lang))
    return Markdown(" ".join(parts))


def financing_table(analysis: pw.Analysis, language: str = "nb", unit: str = "MNOK") -> pd.DataFrame:
    """Who pays: per option and payer the PV of costs (unit), its share of the option's costs and the tax-financing cost.

    Payers who pay nothing for any option are left out; screened-out options last and marked. Empty when the decision
    has no financing model.
    """
    fin = _financing(analysis)
    if fin is None:
        return pd.DataFrame()
    lang = _lang(language)
    names, out = analysis.decision.option_labels(lang), analysis.screened_out()
    t = fin.by_payer(_open_first(analysis, list(dict.fromkeys(fin.present_value["option"]))), unit)
    t.insert(0, "label", [_marked_name(names, o, bool(out.get(o)), lang) for o in t["option"]])
    t["payer"] = [fin.payers[p].label.get(lang, p) for p in t["payer"]]
    return t.drop(columns="option")


def budget_intro(analysis: pw.Analysis, language: str = "nb") -> Markdown:
    """Markdown: what the budget view is and is not (the view's own sentences), or why the decision has none."""
    lang = _lang(language)
    if _financing(analysis) is None:
        return Markdown(sentence("cba.text.no_budget", lang))
    return Markdown(" ".join(md(s) for s in analysis.budget().describe(lang)))


def budget_table(analysis: pw.Analysis, language: str = "nb", unit: str = "MNOK") -> pd.DataFrame:
    """The budget view: per option and payer, the payments of each period and of the whole analysis period (`unit`,
    fixed prices, undiscounted, no tax-financing cost) and NOK per inhabitant over the whole period.

    Payers who pay nothing for any option are left out; screened-out options last and marked. Empty without a
    financing model.
    """
    if _financing(analysis) is None:
        return pd.DataFrame()
    lang = _lang(language)
    view = analysis.budget(unit=unit)
    names, out = analysis.decision.option_labels(lang), analysis.screened_out()
    options = _open_first(analysis, list(dict.fromkeys(view.totals["option"])))
    t = view.table(options).reset_index()
    t.insert(0, "label", [_marked_name(names, str(o), bool(out.get(str(o))), lang) for o in t["option"]])
    t["payer"] = [view.payers.get(p, {}).get(lang, p) for p in t["payer"]]
    t.columns.name = None
    return t.drop(columns="option").rename(columns={"all": "budget_whole_period",
                                                    "payment_per_inhabitant": "budget_payment_per_inhabitant"})


def per_inhabitant_table(analysis: pw.Analysis, language: str = "nb") -> pd.DataFrame:
    """Per option: NOK per inhabitant (PV, all payers), the municipalities' NOK per inhabitant (PV) and in the last year."""
    fin = _financing(analysis)
    if fin is None:
        return pd.DataFrame()
    lang = _lang(language)
    names, out = analysis.decision.option_labels(lang), analysis.screened_out()
    per = fin.per_inhabitant
    rows = [{"label": _marked_name(names, o, bool(out.get(o)), lang),
             "nok_per_inhabitant": float(per.loc[o, "cost_pv_per_inhabitant"]),
             "municipal_nok_per_inhabitant": float(per.loc[o].get("municipalities_pv_per_inhabitant", np.nan)),
             "municipal_nok_per_inhabitant_last_year": float(per.loc[o, "municipal_last_year_per_inhabitant"])}
            for o in _open_first(analysis, list(per.index))]
    return pd.DataFrame(rows)


def _uptake(analysis: pw.Analysis) -> Any:
    summary = _who_pays(analysis)
    return None if summary is None else summary.uptake


def uptake_table(analysis: pw.Analysis, language: str = "nb", unit: str = "MNOK") -> pd.DataFrame:
    """How many must join, per option: the break-even population share, whether it is within the condition (e.g. 55 %),
    P(share above it) under the uncertain final share, P(ΔNPV > 0) with uncertain uptake, ΔNPV when all or none join.

    Best (lowest) break-even first, screened-out options last and marked; empty without an uptake analysis.
    """
    upt = _uptake(analysis)
    if upt is None:
        return pd.DataFrame()
    lang = _lang(language)
    names, out = analysis.decision.option_labels(lang), analysis.screened_out()
    rows = []
    for o, r in upt.in_unit(unit).open_first(out).iterrows():
        row = {"label": _marked_name(names, str(o), bool(out.get(o)), lang), "break_even_share": float(r["break_even_share"]),
               "within_condition": label("yes" if bool(r["meets_condition"]) else "no", lang),
               "p_share_above_break_even": float(r["p_share_above_break_even"])}
        if "p_positive_uncertain_uptake" in r.index:
            row["p_positive_uncertain_uptake"] = float(r["p_positive_uncertain_uptake"])
        note = str(r["note"])
        row.update({"delta_npv_full": float(r["delta_npv_full"]), "delta_npv_none": float(r["delta_npv_none"]),
                    "uptake_note": label(f"cba.note.{note}", lang) if label(f"cba.note.{note}", lang) != f"cba.note.{note}"
                    else note})
        rows.append(row)
    return pd.DataFrame(rows)


def uptake_scenarios_table(analysis: pw.Analysis, language: str = "nb", unit: str = "MNOK") -> pd.DataFrame:
    """Each uptake scenario: its final population share, whether it meets the condition, and ΔNPV per open option."""
    upt = _uptake(analysis)
    if upt is None or upt.scenarios.empty:
        return pd.DataFrame()
    lang = _lang(language)
    upt = upt.in_unit(unit)
    scenario_names = {sc.id: sc.label.get(lang, sc.id) for sc in upt.model.scenarios}
    names, out = analysis.decision.option_labels(lang), analysis.screened_out()
    rows = []
    for sid, g in upt.scenarios.groupby("scenario", sort=False):
        row: dict[str, Any] = {"scenario": scenario_names.get(str(sid), str(sid)), "final_share": float(g["final_share"].iloc[0]),
                               "reaches_comparison_share": label("yes" if bool(g["meets_condition"].iloc[0]) else "no", lang)}
        for o, d in zip(g["option"], g["delta_npv"], strict=True):
            if not out.get(str(o)):
                name = _marked_name(names, str(o), False, lang)
                row[label("cba.col.delta_npv_option", lang).format(name=name, unit=unit)] = float(d)
        rows.append(row)
    return pd.DataFrame(rows)


def uptake_figure(analysis: pw.Analysis, language: str = "nb"):
    """ΔNPV against the population share that joins, MNOK (None without an uptake analysis)."""
    upt = _uptake(analysis)
    if upt is None:
        return None
    lang = _lang(language)
    shown = upt.in_unit("MNOK")
    return uptake_curve_figure(shown.curve, shown.break_even["break_even_share"], upt.condition.min_population_share,
                               language=lang, labels=analysis.decision.option_labels(lang), unit="MNOK",
                               base_year=analysis.case.base_year, screened_out=list(analysis.screened_out()))


def who_pays_lines(analysis: pw.Analysis, cb: pw.CostBenefit, language: str = "nb") -> list[str]:
    """Summary lines: the leading option's break-even share against the condition, and who carries its costs."""
    lang = _lang(language)
    summary = _who_pays(analysis)
    leader = cb.leader()
    if summary is None or leader is None:
        return []
    name = md(analysis.decision.option_labels(lang).get(leader, leader))
    lines = []
    upt, fin = summary.uptake, summary.financing
    if upt is not None and leader in upt.break_even.index:
        r = upt.break_even.loc[leader]
        cond = upt.condition.min_population_share
        share = float(r["break_even_share"])
        if share != share:
            lines.append(sentence("cba.text.never_pays_off", lang, name=name, condition=cond))
        else:
            key = "cba.text.pays_off_within" if bool(r["meets_condition"]) else "cba.text.pays_off_above"
            lines.append(sentence(key, lang, name=name, share=share, condition=cond))
    if fin is not None and leader in set(fin.present_value["option"]):
        pv = fin.present_value[fin.present_value["option"] == leader]
        parts = [sentence("cba.text.payer_share", lang, payer=_in_sentence(fin.payers[p].label.get(lang, p)), share=float(v))
                 for p, v in zip(pv["payer"], pv["share_of_cost"], strict=True) if v > 0]
        key = "cba.text.public_share_illustrative" if fin.illustrative else "cba.text.public_share"
        lines.append(sentence(key, lang, public=fin.public_share(leader), name=name, parts=", ".join(parts)))
    return lines


def _in_sentence(name: str) -> str:
    """A name inside a sentence: the first letter lower case unless the first word is an abbreviation (KS, NHN)."""
    first = name.split(" ", 1)[0]
    return name if len(first) > 1 and first.isupper() else name[:1].lower() + name[1:]


def conditional_lines(analysis: pw.Analysis, language: str = "nb") -> list[str]:
    """One line per option that passes only if a condition holds: the marker †, the condition, its lead time and basis."""
    lang = _lang(language)
    cond = analysis.conditional()
    if cond is None or cond.empty:
        return []
    names = analysis.decision.option_labels(lang)
    lines = []
    for _, r in cond.iterrows():
        text = str(r.get(f"label_{lang}") or r.get("label_en") or r["condition"])
        lead = r.get("lead_time_months")
        values = {"option": md(names.get(str(r["option"]), str(r["option"]))), "condition": md(text),
                  "citation": md(r.get("citation", ""))}
        if lead is not None and lead == lead and fmt.number(float(lead), lang, 0):
            lines.append(sentence("cba.text.conditional_lead", lang, months=float(lead), **values))
        else:
            lines.append(sentence("cba.text.conditional", lang, **values))
    return lines


def summary_findings(analysis: pw.Analysis, cb: pw.CostBenefit, language: str = "nb", unit: str = "MNOK") -> Markdown:
    """Markdown bullets for the summary 07: the cost-benefit finding, who pays, how many must join, conditional options."""
    return _bullets([*finding_lines(cb, analysis.decision, language, unit), *who_pays_lines(analysis, cb, language),
                     *conditional_lines(analysis, language)])


__all__ = [
    "absolute_note",
    "absolute_table",
    "assumptions",
    "budget_intro",
    "budget_table",
    "combined_assessment",
    "combined_intro",
    "combined_note",
    "conditional_lines",
    "discount_table",
    "drivers_intro",
    "drivers_table",
    "financing_table",
    "finding_lines",
    "findings",
    "frames_note",
    "frames_table",
    "headline_table",
    "intro",
    "parameter_value",
    "parameters_table",
    "per_inhabitant_table",
    "percent",
    "plus_minus_table",
    "point_estimate_text",
    "reference_sentence",
    "risk_table",
    "summary_findings",
    "uptake_figure",
    "uptake_scenarios_table",
    "uptake_table",
    "who_pays_intro",
    "who_pays_lines",
]
