"""Report tables and texts of the cost-benefit analysis (notebooks 04 and 07, the command line).

The analysis computes (:mod:`procurement.cba.r109`, :meth:`procurement.Analysis.cba`);
this module turns a :class:`procurement.analysis.CostBenefit` into what an advisor
reads, in bokmål or English:

* :func:`headline_table`: the increments against the 0-alternative first, as
  R-109 and DFØ ask (ΔNPV at the named point estimate, P10/P50/P90 of ΔNPV,
  P(ΔNPV > 0), net benefit per budget krone on the increments);
* :func:`absolute_table`: the absolute NPV and its parts, second, explained by
  :func:`absolute_note` (costs are absolute, benefits are measured against the
  0-alternative, so absolute NPVs are negative and only their differences count);
* :func:`frames_table`: P50/P85 of the investment estimate (steering and cost
  frames of the state project model) apart from the present value of life-cycle costs;
* :func:`plus_minus_table` and :func:`combined_assessment`: the non-priced effects
  and the one combined assessment of DFØ's phase 5;
* :func:`risk_table`: the expected enforcement risk costs included in the cash flows.

Options screened out by a must-pass rule are kept (for completeness) but always
listed last and marked in the label (and in the ``excluded_by`` column).
Probabilities stay shares (0-1); the report writes them as percentages with one
decimal (:func:`procurement.text.fmt.percent`), and :func:`percent` does the same
for text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from procurement.case.cashflows import UNITS

#: Marker appended to the label of an option screened out by a must-pass rule.
SCREENED_MARK = {"nb": "(silt ut)", "en": "(screened out)"}

_POINT = {
    "expected": {"nb": "forventningsverdi", "en": "expected value"},
    "likely": {"nb": "mest sannsynlig verdi", "en": "most likely value"},
}
_POINT_LONG = {
    "expected": {
        "nb": "forventningsverdien (gjennomsnittet av hvert trepunktsestimat), som R-109 bruker",
        "en": "the expected value (the mean of each three-point estimate), as R-109 uses",
    },
    "likely": {
        "nb": "den mest sannsynlige verdien av hvert trepunktsestimat (ikke forventningsverdien R-109 bruker)",
        "en": "the most likely value of each three-point estimate (not the expected value R-109 uses)",
    },
}


def _lang(language: str) -> str:
    return "en" if language == "en" else "nb"


def percent(p: float | None, language: str = "nb") -> str:
    """A probability as a percentage with one decimal, never rounded to 0 % or 100 % when it is not (fmt.probability)."""
    from procurement.text import fmt

    return fmt.probability(p, _lang(language), 1)


def point_estimate_name(cb) -> str:
    """``expected`` or ``likely``: which amount of each three-point estimate the deterministic NPV uses."""
    return str(cb.point_estimate)


def point_estimate_text(cb, language: str = "nb") -> str:
    """The point estimate in words, for a sentence ("the expected value (the mean of ...)")."""
    return _POINT_LONG[point_estimate_name(cb)][_lang(language)]


def point_label(cb, language: str = "nb") -> str:
    """Short name of the point estimate for headers: ``forventningsverdi`` / ``expected value``."""
    return _POINT[point_estimate_name(cb)][_lang(language)]


def no_cashflows_sentence(decision, language: str = "nb") -> str:
    """One sentence for a decision without cash flows."""
    title = getattr(decision, "title", None)
    name = str(getattr(title, _lang(language), None) or decision.id)
    if _lang(language) == "en":
        return (f"The decision “{name}” has no cash flows in cashflows.csv, so there is no cost-benefit analysis for it; "
                "the rest of the report rests on the ranking.")
    return (f"Beslutningen «{name}» har ingen kontantstrømmer i cashflows.csv og derfor ingen samfunnsøkonomisk analyse; "
            "resten av rapporten bygger på rangeringen.")


def _labels(cb, decision, language: str) -> pd.Series:
    """Option names with the screened-out mark."""
    names = decision.option_labels(_lang(language))
    out = cb.table["screened_out"].astype(str) if "screened_out" in cb.table.columns else pd.Series("", cb.table.index)
    return pd.Series(
        [f"{names.get(o, o)} {SCREENED_MARK[_lang(language)]}" if out.get(o, "") else names.get(o, o) for o in cb.table.index],
        index=cb.table.index,
    )


def reference_sentence(cb, decision, language: str = "nb") -> str:
    """What ΔNPV is measured against, and which point estimate the deterministic numbers use."""
    lang = _lang(language)
    names = decision.option_labels(lang)
    ref = names.get(cb.reference, cb.reference)
    pe = point_estimate_text(cb, lang)
    if cb.reference_kind == "best":
        if lang == "en":
            return (f"This decision has no 0-alternative (some option is carried out in every case), so each option is "
                    f"measured against the one with the highest NPV, “{ref}”: ΔNPV is what choosing another option gives "
                    f"up. The deterministic numbers use {pe}.")
        return (f"Beslutningen har ikke noe 0-alternativ (ett av alternativene gjennomføres uansett), så hvert alternativ "
                f"måles mot det med høyest nåverdi, «{ref}»: ΔNNV er det et annet valg gir fra seg. De deterministiske "
                f"tallene bruker {pe}.")
    if lang == "en":
        return (f"Each option is measured against the 0-alternative (ΔNPV = the option's NPV minus the 0-alternative's, "
                f"in the same draw in the simulation). The deterministic numbers use {pe}.")
    return (f"Hvert alternativ måles mot 0-alternativet (ΔNNV = alternativets netto nåverdi minus 0-alternativets, i "
            f"samme trekk i simuleringen). De deterministiske tallene bruker {pe}.")


def _ordered(t: pd.DataFrame, cb, by: str) -> pd.DataFrame:
    """Best first by ``by``; screened-out options last."""
    t = t.sort_values(by, ascending=False, kind="stable")
    out = cb.table["screened_out"].reindex(t.index).fillna("").astype(str) != ""
    return pd.concat([t[~out], t[out]])


def _money(t: pd.DataFrame, cols: list[str], unit: str) -> pd.DataFrame:
    for c in cols:
        if c in t.columns:
            t[c] = t[c] / UNITS[unit]
    return t


def _marked(t: pd.DataFrame, cb, decision, language: str) -> pd.DataFrame:
    t.insert(0, "label", _labels(cb, decision, language).reindex(t.index))
    if "screened_out" in cb.table.columns and cb.table["screened_out"].astype(str).ne("").any():
        t["excluded_by"] = cb.table["screened_out"].reindex(t.index).fillna("")
    t.index.name = "option"
    return t


def headline_table(cb, decision, language: str = "nb", unit: str = "MNOK") -> pd.DataFrame:
    """The increments against the reference option, best ΔNPV first (MNOK; probabilities as shares).

    Columns: ``label``, ``incremental_npv_expected`` (or ``_likely``: the
    point estimate named), ``incremental_npv_P10/P50/P90`` (simulated),
    ``p_incremental_positive`` and ``incremental_net_benefit_per_krone``
    (ΔNPV per krone of net public spending beyond the reference's; empty
    where the option spends less), ``excluded_by`` when any option is screened out.
    The reference option itself (ΔNPV 0 by definition) is left out.
    """
    if not cb.available:
        return pd.DataFrame()
    point = f"incremental_npv_{point_estimate_name(cb)}"
    t = cb.table.rename(columns={"incremental_npv": point})
    cols = [point, "incremental_npv_P10", "incremental_npv_P50", "incremental_npv_P90", "p_incremental_positive",
            "incremental_net_benefit_per_krone"]
    t = t[[c for c in cols if c in t.columns]].drop(index=[cb.reference], errors="ignore").copy()
    t = _money(t, [point, "incremental_npv_P10", "incremental_npv_P50", "incremental_npv_P90"], unit)
    return _marked(_ordered(t, cb, point), cb, decision, language)


def absolute_table(cb, decision, language: str = "nb", unit: str = "MNOK") -> pd.DataFrame:
    """The absolute measures (MNOK), second: NPV at the point estimate and its parts, NPV P10/P50/P90, P(NPV > 0), P(best)."""
    if not cb.available:
        return pd.DataFrame()
    point = f"npv_{point_estimate_name(cb)}"
    t = cb.table.rename(columns={"npv": point})
    cols = [point, "pv_costs", "pv_benefits", "residual_value", "tax_cost", "npv_P10", "npv_P50", "npv_P90",
            "p_npv_positive", "p_best"]
    t = t[[c for c in cols if c in t.columns]].copy()
    t = _money(t, [point, "pv_costs", "pv_benefits", "residual_value", "tax_cost", "npv_P10", "npv_P50", "npv_P90"], unit)
    return _marked(_ordered(t, cb, point), cb, decision, language)


def absolute_note(cb, language: str = "nb") -> str:
    """Why the absolute NPVs are negative and what to read from them."""
    if _lang(language) == "en":
        return ("Costs are counted in full (every option, the 0-alternative too, runs record systems), while benefits "
                "are counted against the 0-alternative. An absolute NPV is therefore usually negative and means little "
                "alone; the difference between two options' NPVs is their ΔNPV. P(best) is the probability that an "
                "option has the highest NPV in a draw.")
    return ("Kostnadene telles fullt ut (alle alternativer, også 0-alternativet, driver journalsystemer), mens nytten "
            "telles mot 0-alternativet. En absolutt nåverdi er derfor som regel negativ og sier lite alene; forskjellen "
            "mellom to alternativers nåverdi er deres ΔNNV. P(best) er sannsynligheten for at et alternativ har høyest "
            "nåverdi i et trekk.")


def frames_table(cb, decision, language: str = "nb", unit: str = "MNOK") -> pd.DataFrame:
    """The investment estimate with its steering frame (P50) and cost frame (P85), beside the PV of life-cycle costs.

    The state project model applies P50/P85 to the investment cost estimate
    (undiscounted, real prices); the present value of all costs (P50/P85) is a
    different measure and is labelled as such.
    """
    if not cb.available:
        return pd.DataFrame()
    point = f"investment_{point_estimate_name(cb)}"
    t = cb.table.rename(columns={"investment": point, "investment_P50": "steering_frame", "investment_P85": "cost_frame"})
    cols = [point, "steering_frame", "cost_frame", "pv_costs", "pv_costs_P50", "pv_costs_P85"]
    t = t[[c for c in cols if c in t.columns]].copy()
    t = _money(t, cols, unit)
    return _marked(_ordered(t, cb, "steering_frame" if "steering_frame" in t.columns else point), cb, decision, language)


def frames_note(language: str = "nb") -> str:
    if _lang(language) == "en":
        return ("Steering frame = P50 and cost frame = P85 of the investment estimate (the sum of the investment rows, "
                "real prices, not discounted), as in the state project model (KS2). The present value of life-cycle "
                "costs (investment, operations, transition and risk over the analysis period) is shown beside them with "
                "its own P50/P85; it is not a cost frame.")
    return ("Styringsramme = P50 og kostnadsramme = P85 av investeringsestimatet (summen av investeringsradene, faste "
            "priser, ikke neddiskontert), som i statens prosjektmodell (KS2). Nåverdien av livsløpskostnadene "
            "(investering, drift, omstilling og risiko i analyseperioden) står ved siden av med sine egne P50/P85; den "
            "er ikke en kostnadsramme.")


def risk_table(analysis, language: str = "nb") -> pd.DataFrame:
    """The expected enforcement risk costs in the cash flows: option, year, event, MNOK, source."""
    from procurement.cba.r109 import risk_lines

    lines = risk_lines(analysis.case, analysis.decision.id)
    lang = _lang(language)
    names = analysis.decision.option_labels(lang)
    out = pd.DataFrame({
        "label": [names.get(o, o) for o in lines["option"]],
        "year": lines["year"].astype("int64"),
        "event": lines[f"event_{lang}"],
        "expected_cost": lines["mnok"].astype(float),
        "source": lines["source_nb" if lang == "nb" else "source"],
    })
    return out.reset_index(drop=True)


def intro(cb, decision, language: str = "nb"):
    """Markdown: what ΔNPV is measured against and the point estimate, or the one sentence for a decision without cash flows."""
    from IPython.display import Markdown

    if not cb.available:
        return Markdown(cb.message)
    return Markdown(reference_sentence(cb, decision, language))


def findings(cb, decision, language: str = "nb", unit: str = "MNOK"):
    """Markdown bullets for the summary: the best ΔNPV among open options, how sure, and per krone."""
    from IPython.display import Markdown

    return Markdown("\n".join(f"- {line}" for line in finding_lines(cb, decision, language, unit)))


def finding_lines(cb, decision, language: str = "nb", unit: str = "MNOK") -> list[str]:
    """The cost-benefit findings as Markdown lines (names escaped)."""
    from procurement.text import fmt
    from procurement.report.notebook import md

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
    amount = fmt.money(float(best[point]), lang)
    p = percent(best.get("p_incremental_positive"), lang)
    ratio = best.get("incremental_net_benefit_per_krone")
    name = md(best["label"])
    if cb.reference_kind == "best":
        names = decision.option_labels(lang)
        ref = md(names.get(cb.reference, cb.reference))
        if lang == "en":
            return [f"Highest NPV: **{ref}**; the next best, {name}, gives up {fmt.money(-float(best[point]), lang)} "
                    f"({point_label(cb, lang)}); the probability that it beats {ref} is {p}."]
        return [f"Høyest netto nåverdi: **{ref}**; nest best, {name}, gir fra seg {fmt.money(-float(best[point]), lang)} "
                f"({point_label(cb, lang)}); sannsynligheten for at det slår {ref}, er {p}."]
    per = fmt.number(float(ratio), lang, 2) if ratio == ratio and ratio is not None else "–"
    if lang == "en":
        return [f"Highest ΔNPV against the 0-alternative among the open options: **{name}**, {amount} ({point_label(cb, lang)}); "
                f"P(ΔNPV > 0) = {p}; net benefit per budget krone on the increments {per}."]
    return [f"Høyest ΔNNV mot 0-alternativet blant de åpne alternativene: **{name}**, {amount} ({point_label(cb, lang)}); "
            f"P(ΔNNV > 0) = {p}; netto nytte per budsjettkrone på tilleggene {per}."]


def discount_table(cb) -> pd.DataFrame:
    """Year, t, rate and discount factor of each year of the analysis period (empty without cash flows)."""
    return cb.result.discount.copy() if cb.available else pd.DataFrame()


#: Parameters that are shares (shown as percentages) and words for the parameters' text values.
_PERCENT_PARAMETERS = {"discount_rates", "tax_financing_cost", "benefit_real_growth", "public_benefit_share", "p_steering",
                       "p_cost_frame", "common_random_numbers"}
_VALUE_WORDS = {
    "base_year": ("basisåret", "the base year"),
    "first_year": ("første år med kontantstrøm", "the first cash-flow year"),
    "net_effects": ("nettovirkninger etter analyseperioden (NOU 2012:16)", "net effects after the period (NOU 2012:16)"),
    "linear": ("lineær bokført verdi", "linear book value"),
    "none": ("ingen", "none"),
    "mean": ("forventningsverdi", "expected value"),
    "likely": ("mest sannsynlig verdi", "most likely value"),
    "triangular": ("trekantfordeling", "triangular"),
    "pert": ("PERT", "PERT"),
}


def _one_value(name: str, v: Any, lang: str) -> str:
    from procurement.text import fmt

    if isinstance(v, bool) or v is None:
        return "–"
    if isinstance(v, str):
        words = _VALUE_WORDS.get(v)
        return words[0 if lang == "nb" else 1] if words else v
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


def parameters_table(cb, language: str = "nb") -> pd.DataFrame:
    """Every R-109 parameter used: its name in words, value (formatted), citation and whether it was verified.

    The name and citation come from ``r109.yaml`` in the report language (``label: {nb, en}``,
    ``citation_nb``); an English report keeps the English citation.
    """
    if cb.params is None:
        return pd.DataFrame()
    lang = _lang(language)
    yes, no = ("ja", "nei") if lang == "nb" else ("yes", "no")
    rows = []
    for r in cb.params.cited():
        label = r.get("label") or {}
        citation = r.get("citation_nb") or r["citation"] if lang == "nb" else r["citation"]
        rows.append({"parameter": label.get(lang) or r["parameter"], "value": parameter_value(r["parameter"], r["value"], lang),
                     "citation": citation, "verified": yes if r["verified"] else no})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- non-priced effects


def read_case_effects(analysis) -> pd.DataFrame | None:
    """The plus-minus judgements of the analysis's decision, or None when the case has none for it."""
    from pathlib import Path

    from procurement.case.errors import ProblemList
    from procurement.cba.effects import read_effects

    path = Path(analysis.case.path) / "effects.csv"
    if not path.exists():
        return None
    problems = ProblemList()
    case = analysis.case
    effects = read_effects(path, {d: case.decision(d).option_ids for d in case.decisions}, problems)
    problems.raise_if_any()
    mine = effects[effects["decision"] == analysis.decision.id]
    return mine if len(mine) else None


def plus_minus_table(analysis, language: str = "nb") -> pd.DataFrame:
    """Effects (rows) × options (columns): importance, then the consequence ``++++`` .. ``----`` per option.

    Empty when the decision has no non-priced effects. Option columns are named
    by the options' labels (screened-out ones marked).
    """
    from procurement.cba.effects import load_plus_minus

    effects = read_case_effects(analysis)
    if effects is None:
        return pd.DataFrame()
    lang = _lang(language)
    pm = load_plus_minus()
    names = analysis.decision.option_labels(lang)
    out = analysis.screened_out()
    options = [o for o in analysis.decision.option_ids if o in set(effects["option"])]
    options = [o for o in options if not out.get(o)] + [o for o in options if out.get(o)]
    label_col = "label_nb" if lang == "nb" and "label_nb" in effects.columns else "label"
    wide = effects.pivot(index="effect", columns="option", values="consequence")
    order = list(dict.fromkeys(effects["effect"]))
    first = effects.drop_duplicates("effect").set_index("effect")
    t = pd.DataFrame({"effect": first[label_col].reindex(order),
                      "importance": [_importance_label(pm, i, lang) for i in first["importance"].reindex(order)]},
                     index=order)
    for o in options:
        name = f"{names.get(o, o)} {SCREENED_MARK[lang]}" if out.get(o) else names.get(o, o)
        t[name] = wide.reindex(order)[o].to_numpy()
    return t.reset_index(drop=True)


def _importance_label(pm, importance: str, lang: str) -> str:
    """The importance in the report language (from the matrix file's spellings: small/liten, ...)."""
    import yaml

    from procurement.cba.effects import default_matrix_path

    doc = yaml.safe_load(default_matrix_path().read_text(encoding="utf-8")) or {}
    for item in doc.get("importance", []):
        if str(item.get("id")) == importance:
            return str(item.get(lang, importance))
    return importance


_STRENGTH = {"++++": 4, "+++": 3, "++": 2, "+": 1, "0": 0, "-": -1, "--": -2, "---": -3, "----": -4}


def _non_priced(effects: pd.DataFrame, option: str, language: str) -> tuple[int, int, str, int]:
    """(number of positive, number of negative consequences, the strongest ones in words, net signs)."""
    lang = _lang(language)
    label_col = "label_nb" if lang == "nb" and "label_nb" in effects.columns else "label"
    mine = effects[effects["option"] == option]
    strength = mine["consequence"].map(_STRENGTH).fillna(0).astype(int)
    plus, minus = int((strength > 0).sum()), int((strength < 0).sum())
    top = mine.assign(s=strength.abs()).sort_values("s", ascending=False, kind="stable")
    top = top[top["s"] >= max(2, int(top["s"].max()) if len(top) else 2)]
    words = ", ".join(f"{r['consequence']} {r[label_col]}" for _, r in top.iterrows())
    return plus, minus, words, int(strength.sum())


def combined_assessment(analysis, cb, language: str = "nb", unit: str = "MNOK") -> pd.DataFrame:
    """DFØ's phase 5: priced and non-priced effects of each option together, one overall ranking with its reasoning.

    The overall ranking follows ΔNPV at the point estimate (the priced
    effects); the reasoning of each option says how sure the priced result is
    (P(ΔNPV > 0)) and whether the non-priced effects point the same way or
    against it, compared with the option ranked just above. The plus-minus
    signs are not added into the NPV: the net count of signs only flags a
    conflict for the advisor to weigh. Screened-out options are ranked last
    and marked.
    """
    lang = _lang(language)
    if not cb.available:
        return pd.DataFrame()
    effects = read_case_effects(analysis)
    t = headline_table(cb, analysis.decision, lang, unit)
    point = t.columns[1]
    ref = cb.reference
    rows = []
    prev_net = None
    prev_name = None
    for rank, (o, r) in enumerate(t.iterrows(), start=1):
        plus, minus, words, net = _non_priced(effects, str(o), lang) if effects is not None else (0, 0, "", 0)
        reason = _reason(lang, float(r[point]), r.get("p_incremental_positive"), unit, plus, minus, words,
                         prev_name if prev_net is not None and net > prev_net else None, bool(r.get("excluded_by", "")),
                         effects is not None)
        rows.append({"overall_rank": rank, "label": r["label"], point: r[point],
                     "p_incremental_positive": r.get("p_incremental_positive", np.nan),
                     "non_priced": _signs(lang, plus, minus, words, effects is not None), "reasoning": reason})
        prev_net, prev_name = net, r["label"]
    out = pd.DataFrame(rows, index=pd.Index(t.index, name="option"))
    names = analysis.decision.option_labels(lang)
    out.attrs["reference"] = names.get(ref, ref)
    return out


def _signs(lang: str, plus: int, minus: int, words: str, have: bool) -> str:
    if not have:
        return "–"
    if lang == "en":
        return f"{plus} positive, {minus} negative" + (f"; strongest: {words}" if words else "")
    return f"{plus} positive, {minus} negative" + (f"; sterkest: {words}" if words else "")


def _reason(lang: str, delta: float, p: Any, unit: str, plus: int, minus: int, words: str, beats_above: str | None,
            screened: bool, have: bool) -> str:
    from procurement.text import fmt

    p_text = percent(p, lang) if p is not None and p == p else "–"
    amount = fmt.number(delta, lang, 0)
    if lang == "en":
        parts = [f"ΔNPV {amount} {unit}, P(ΔNPV > 0) = {p_text}"]
        if have:
            parts.append(f"non-priced effects {plus} positive and {minus} negative")
        if beats_above:
            parts.append(f"its non-priced effects are better than those of “{beats_above}” ranked above: weigh whether "
                         "they outweigh the difference in ΔNPV")
        if screened:
            parts.append("screened out by a must-pass rule, so not an open route")
        return "; ".join(parts) + "."
    parts = [f"ΔNNV {amount} {unit}, P(ΔNNV > 0) = {p_text}"]
    if have:
        parts.append(f"ikke-prissatte virkninger {plus} positive og {minus} negative")
    if beats_above:
        parts.append(f"de ikke-prissatte virkningene er bedre enn for «{beats_above}» over: vurder om de veier opp "
                     "forskjellen i ΔNNV")
    if screened:
        parts.append("silt ut av et ufravikelig krav, så ikke et åpent løp")
    return "; ".join(parts) + "."


def combined_note(language: str = "nb") -> str:
    if _lang(language) == "en":
        return ("The overall ranking follows ΔNPV (the priced effects); the plus-minus signs are not turned into money. "
                "Where an option's non-priced effects are better than those of the option ranked above it, the "
                "reasoning says so: that is where the advisor must judge whether the non-priced effects outweigh the "
                "difference in ΔNPV.")
    return ("Samlet rangering følger ΔNNV (de prissatte virkningene); pluss-minus-tegnene gjøres ikke om til kroner. "
            "Der et alternativs ikke-prissatte virkninger er bedre enn for alternativet rangert over, står det i "
            "begrunnelsen: der må rådgiveren vurdere om de ikke-prissatte virkningene veier opp forskjellen i ΔNNV.")


# --------------------------------------------------------------------------- who pays, how many must join

_UPTAKE_NOTES = {
    "not profitable even if every municipality joins": "ikke lønnsomt selv om alle kommunene blir med",
    "profitable at any uptake": "lønnsomt uansett hvor mange som blir med",
    "ΔNPV = 0 at this share": "ΔNNV = 0 ved denne andelen",
    "ΔNPV falls below 0 above this share": "ΔNNV blir negativ over denne andelen",
}


def who_pays(analysis) -> dict[str, Any] | None:
    """Financing and uptake of the analysis's decision (:func:`procurement.cba.financing.who_pays`), or None."""
    from procurement.cba.financing import who_pays as summary

    return summary(analysis)


def _marked_name(analysis, option: str, lang: str) -> str:
    name = analysis.decision.option_labels(lang).get(option, option)
    return f"{name} {SCREENED_MARK[lang]}" if analysis.screened_out().get(option) else name


def _open_first(analysis, options: list[str]) -> list[str]:
    out = analysis.screened_out()
    return [o for o in options if not out.get(o)] + [o for o in options if out.get(o)]


def who_pays_intro(analysis, language: str = "nb"):
    """Markdown: what the financing and uptake sections rest on, or one sentence why the decision has none."""
    from IPython.display import Markdown

    from procurement.text import fmt

    lang = _lang(language)
    summary = who_pays(analysis)
    if summary is None:
        return Markdown("Saken har ikke financing.yaml, uptake.yaml og municipalities.csv, så rapporten viser ikke hvem "
                        "som betaler eller hvor mange som må bli med." if lang == "nb" else
                        "The case has no financing.yaml, uptake.yaml and municipalities.csv, so the report does not show "
                        "who pays or how many must join.")
    parts = []
    fin, upt = summary["financing"], summary["uptake"]
    if fin is None:
        parts.append("financing.yaml har ingen finansieringsmodell for denne beslutningen." if lang == "nb" else
                     "financing.yaml has no financing model for this decision.")
    if upt is None:
        parts.append("Beslutningen har ikke noe 0-alternativ, så det er ingen analyse av hvor mange kommuner som må bli med."
                     if lang == "nb" else
                     "The decision has no 0-alternative, so there is no analysis of how many municipalities must join.")
    else:
        share = fmt.percent(upt.condition.min_population_share, lang, 0)
        pop = fmt.number(upt.population, lang, 0)
        parts.append(f"Befolkningen i den nasjonale løsningen er {pop} innbyggere. Vilkåret for å gå videre er at kommuner "
                     f"med minst {share} av befolkningen slutter seg til (Akson, KS2 juni 2020 slik sekundærkilder "
                     "gjengir det; ikke kontrollert i kilden)." if lang == "nb" else
                     f"The national solution serves {pop} inhabitants. The condition for going ahead is that "
                     f"municipalities with at least {share} of the population join (Akson, KS2 June 2020 as secondary "
                     "sources report it; not verified in the source).")
    parts.append("Fordelingen og oppslutningsscenarioene er illustrative." if lang == "nb" else
                 "The split and the uptake scenarios are illustrative.")
    return Markdown(" ".join(parts))


def financing_table(analysis, language: str = "nb", unit: str = "MNOK") -> pd.DataFrame:
    """Who pays: per option and payer the PV of costs (unit), its share of the option's costs and the tax-financing cost.

    Payers who pay nothing for any option are left out; screened-out options last and marked. Empty when
    the decision has no financing model.
    """
    summary = who_pays(analysis)
    fin = None if summary is None else summary["financing"]
    if fin is None:
        return pd.DataFrame()
    lang = _lang(language)
    pv = fin.present_value
    paying = [p for p in fin.payers if pv.loc[pv["payer"] == p, "cost_pv"].abs().sum() > 0]
    rows = []
    for o in _open_first(analysis, list(dict.fromkeys(pv["option"]))):
        mine = pv[pv["option"] == o].set_index("payer")
        for p in paying:
            r = mine.loc[p]
            rows.append({"label": _marked_name(analysis, o, lang), "payer": fin.payers[p].label.get(lang, p),
                         "cost_pv": float(r["cost_pv"]) / UNITS[unit], "share_of_cost": float(r["share_of_cost"]),
                         "tax_cost": float(r["tax_cost"]) / UNITS[unit]})
    return pd.DataFrame(rows)


def per_inhabitant_table(analysis, language: str = "nb") -> pd.DataFrame:
    """Per option: NOK per inhabitant (PV, all payers), the municipalities' NOK per inhabitant (PV) and in the last year."""
    summary = who_pays(analysis)
    fin = None if summary is None else summary["financing"]
    if fin is None:
        return pd.DataFrame()
    lang = _lang(language)
    per = fin.per_inhabitant
    rows = [{"label": _marked_name(analysis, o, lang), "nok_per_inhabitant": float(per.loc[o, "cost_pv_per_inhabitant"]),
             "municipal_nok_per_inhabitant": float(per.loc[o].get("municipalities_pv_per_inhabitant", np.nan)),
             "municipal_nok_per_inhabitant_last_year": float(per.loc[o, "municipal_last_year_per_inhabitant"])}
            for o in _open_first(analysis, list(per.index))]
    return pd.DataFrame(rows)


def _uptake(analysis):
    summary = who_pays(analysis)
    return None if summary is None else summary["uptake"]


def uptake_table(analysis, language: str = "nb", unit: str = "MNOK") -> pd.DataFrame:
    """How many must join, per option: the break-even population share, whether it is within the condition (e.g. 55 %),
    P(share above it) under the uncertain final share, P(ΔNPV > 0) with uncertain uptake, ΔNPV when all or none join.

    Best (lowest) break-even first, screened-out options last and marked; empty without an uptake analysis.
    """
    upt = _uptake(analysis)
    if upt is None:
        return pd.DataFrame()
    lang = _lang(language)
    be = upt.break_even.sort_values("break_even_share", kind="stable", na_position="last")
    yes, no = ("ja", "nei") if lang == "nb" else ("yes", "no")
    sim = upt.simulation.table if upt.simulation is not None else None
    rows = []
    for o in _open_first(analysis, list(be.index)):
        r = be.loc[o]
        note = str(r["note"])
        row = {"label": _marked_name(analysis, o, lang), "break_even_share": float(r["break_even_share"]),
               "within_condition": yes if bool(r["meets_condition"]) else no,
               "p_share_above_break_even": float(r["p_share_above_break_even"])}
        if sim is not None:
            row["p_positive_uncertain_uptake"] = float(sim.loc[o, "p_positive"])
        row.update({"delta_npv_full": float(r["delta_npv_full"]) / UNITS[unit],
                    "delta_npv_none": float(r["delta_npv_none"]) / UNITS[unit],
                    "uptake_note": _UPTAKE_NOTES.get(note, note) if lang == "nb" else note})
        rows.append(row)
    return pd.DataFrame(rows)


def uptake_scenarios_table(analysis, language: str = "nb", unit: str = "MNOK") -> pd.DataFrame:
    """Each uptake scenario: its final population share, whether it meets the condition, and ΔNPV per open option."""
    upt = _uptake(analysis)
    if upt is None or upt.scenarios.empty:
        return pd.DataFrame()
    lang = _lang(language)
    yes, no = ("ja", "nei") if lang == "nb" else ("yes", "no")
    labels = {sc.id: sc.label.get(lang, sc.id) for sc in upt.model.scenarios}
    out = analysis.screened_out()
    rows = []
    for sid, g in upt.scenarios.groupby("scenario", sort=False):
        row: dict[str, Any] = {"scenario": labels.get(str(sid), str(sid)), "final_share": float(g["final_share"].iloc[0]),
                               "within_condition": yes if bool(g["meets_condition"].iloc[0]) else no}
        for o, d in zip(g["option"], g["delta_npv"], strict=True):
            if not out.get(str(o)):
                row[f"ΔNNV {_marked_name(analysis, str(o), lang)} ({unit})" if lang == "nb"
                    else f"ΔNPV {_marked_name(analysis, str(o), lang)} ({unit})"] = float(d) / UNITS[unit]
        rows.append(row)
    return pd.DataFrame(rows)


def uptake_figure(analysis, language: str = "nb"):
    """ΔNPV against the population share that joins (None without an uptake analysis)."""
    upt = _uptake(analysis)
    if upt is None:
        return None
    lang = _lang(language)
    return upt.plot(lang, analysis.decision.option_labels(lang), base_year=analysis.case.base_year,
                    screened_out=list(analysis.screened_out()))


def _leader(cb, decision, lang: str) -> str | None:
    """The open option with the highest ΔNPV (the reference option itself where it is the best)."""
    if not cb.available:
        return None
    if cb.reference_kind == "best":
        return str(cb.reference)
    t = headline_table(cb, decision, lang)
    if "excluded_by" in t.columns:
        t = t[t["excluded_by"].astype(str) == ""]
    return str(t.index[0]) if len(t) else None


def who_pays_lines(analysis, cb, language: str = "nb") -> list[str]:
    """Summary lines: the leading option's break-even share against the condition, and who carries its costs."""
    from procurement.text import fmt
    from procurement.report.notebook import md

    lang = _lang(language)
    summary = who_pays(analysis)
    leader = _leader(cb, analysis.decision, lang)
    if summary is None or leader is None:
        return []
    name = md(analysis.decision.option_labels(lang).get(leader, leader))
    lines = []
    upt, fin = summary["uptake"], summary["financing"]
    if upt is not None and leader in upt.break_even.index:
        r = upt.break_even.loc[leader]
        cond = fmt.percent(upt.condition.min_population_share, lang, 0)
        share = float(r["break_even_share"])
        if share != share:
            lines.append(f"{name} er ikke lønnsomt selv om alle kommunene blir med (vilkåret er {cond})." if lang == "nb"
                         else f"{name} is not profitable even if every municipality joins (the condition is {cond}).")
        else:
            ok = bool(r["meets_condition"])
            be = fmt.percent(share, lang, 1)
            if lang == "nb":
                lines.append(f"{name} er lønnsomt når kommuner med minst {be} av befolkningen blir med; det er "
                             f"{'innenfor' if ok else 'over'} vilkåret om {cond}.")
            else:
                lines.append(f"{name} pays off when municipalities with at least {be} of the population join; that is "
                             f"{'within' if ok else 'above'} the {cond} condition.")
    if fin is not None and leader in set(fin.present_value["option"]):
        pv = fin.present_value[fin.present_value["option"] == leader]
        parts = [f"{_in_sentence(fin.payers[p].label.get(lang, p))} {fmt.percent(float(v), lang, 0)}"
                 for p, v in zip(pv["payer"], pv["share_of_cost"], strict=True) if v > 0]
        public = float(pv.loc[pv["payer"].map(lambda p: fin.payers[p].public), "share_of_cost"].sum())
        if lang == "nb":
            lines.append(f"Det offentlige bærer {fmt.percent(public, lang, 0)} av nåverdien av kostnadene for {name} "
                         f"(illustrativ fordeling): {', '.join(parts)}.")
        else:
            lines.append(f"The public sector carries {fmt.percent(public, lang, 0)} of the PV of {name}'s costs "
                         f"(illustrative split): {', '.join(parts)}.")
    return lines


def _in_sentence(label: str) -> str:
    """A name inside a sentence: the first letter lower case unless the first word is an abbreviation (KS, NHN)."""
    first = label.split(" ", 1)[0]
    return label if len(first) > 1 and first.isupper() else label[:1].lower() + label[1:]


def conditional_lines(analysis, language: str = "nb") -> list[str]:
    """One line per option that passes only if a condition holds: the marker †, the condition, its lead time and basis."""
    from procurement.text import fmt
    from procurement.report.notebook import md

    lang = _lang(language)
    cond = analysis.conditional()
    if cond is None or cond.empty:
        return []
    names = analysis.decision.option_labels(lang)
    lines = []
    for _, r in cond.iterrows():
        text = str(r.get(f"label_{lang}") or r.get("label_en") or r["condition"])
        lead = r.get("lead_time_months")
        months = fmt.number(float(lead), lang, 0) if lead is not None and lead == lead else None
        o = md(names.get(str(r["option"]), str(r["option"])))
        if lang == "nb":
            tail = f"; ledetid {months} måneder" if months else ""
            lines.append(f"{o} † går videre bare på vilkår: {md(text)} ({md(r.get('citation', ''))}{tail}).")
        else:
            tail = f"; lead time {months} months" if months else ""
            lines.append(f"{o} † passes only on a condition: {md(text)} ({md(r.get('citation', ''))}{tail}).")
    return lines


def summary_findings(analysis, cb, language: str = "nb", unit: str = "MNOK"):
    """Markdown bullets for the summary 07: the cost-benefit finding, who pays, how many must join, conditional options."""
    from IPython.display import Markdown

    lines = [*finding_lines(cb, analysis.decision, language, unit), *who_pays_lines(analysis, cb, language),
             *conditional_lines(analysis, language)]
    return Markdown("\n".join(f"- {line}" for line in lines))


# --------------------------------------------------------------------------- figure


def s_curve(cb, labels: Mapping[str, str], language: str = "nb", measure: str = "incremental_npv"):
    """The S-curves of ΔNPV (or another simulated measure) per option, MNOK; screened-out options dashed and marked."""
    from procurement.cba.r109 import s_curve_data
    from procurement.plots.cba import s_curve_figure

    if not cb.available or cb.simulation is None:
        return None
    lang = _lang(language)
    if measure == "incremental_npv" and "incremental_npv" not in cb.simulation.stats.get("percentiles", {}):
        measure = "npv"
    data = s_curve_data(cb.simulation, measure)
    if measure == "incremental_npv" and cb.reference is not None:
        data = data[data["option"] != cb.reference]
    out = cb.table["screened_out"].astype(str) if "screened_out" in cb.table.columns else pd.Series(dtype=str)
    screened = {str(o) for o, r in out.items() if r}

    def name(o: str) -> str:
        base = labels.get(o, o)
        return f"{base} {SCREENED_MARK[lang]}" if o in screened else base

    data = data.assign(option=data["option"].map(name))
    return s_curve_figure(data, unit="MNOK", language=lang, dashed={name(o) for o in screened})


__all__ = [
    "discount_table",
    "findings",
    "finding_lines",
    "intro",
    "parameter_value",
    "parameters_table",
    "absolute_note",
    "absolute_table",
    "combined_assessment",
    "combined_note",
    "conditional_lines",
    "financing_table",
    "per_inhabitant_table",
    "summary_findings",
    "uptake_figure",
    "uptake_scenarios_table",
    "uptake_table",
    "who_pays_intro",
    "who_pays_lines",
    "frames_note",
    "frames_table",
    "headline_table",
    "no_cashflows_sentence",
    "percent",
    "plus_minus_table",
    "point_estimate_text",
    "reference_sentence",
    "risk_table",
]
