"""Report labels in Norwegian bokmål (``nb``) and English (``en``).

Criterion, option, group and stakeholder names come from the data files
(their ``label``/``name_nb``/``name_en`` fields); this module holds only the
workbench's own words: table headers, figure axes and headings. Use
:func:`label` for one word and :func:`translate_columns` to turn a result
table's column names into report headers.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from procurement.text import (words_cba, words_case, words_forms, words_law, words_mcda, words_nn, words_papers, words_report,
                             words_tender)

LANGUAGES = ("nb", "en")
#: The languages a text can be written in: the report languages and nynorsk (papers to nynorsk municipalities).
WRITTEN_LANGUAGES = ("nb", "nn", "en")

#: key -> (bokmål, English)
LABELS: dict[str, tuple[str, str]] = {
    # general
    "option": ("Alternativ", "Option"),
    "verified": ("Kontrollert i kilden", "Verified in the source"),  # here, not only in cba.report: 05 shows it too
    "mean_tau": ("Gj.sn. τ mot de andre", "Mean τ with the others"),
    "min_tau": ("Laveste τ", "Lowest τ"),
    "least_agreeing": ("Minst enig med", "Least agreeing with"),
    "options": ("Alternativer", "Options"),
    "criterion": ("Kriterium", "Criterion"),
    "criteria": ("Kriterier", "Criteria"),
    "group": ("Gruppe", "Group"),
    "weight": ("Vekt", "Weight"),
    "weights": ("Vekter", "Weights"),
    "direction": ("Retning", "Direction"),
    "max": ("høyere er bedre", "higher is better"),
    "min": ("lavere er bedre", "lower is better"),
    "scale": ("Skala", "Scale"),
    "unit": ("Enhet", "Unit"),
    "score": ("Skår", "Score"),
    "scores": ("Skårer", "Scores"),
    "low": ("Lav", "Low"),
    "likely": ("Mest sannsynlig", "Most likely"),
    "high": ("Høy", "High"),
    "rank": ("Rangering", "Rank"),
    "method": ("Metode", "Method"),
    "methods": ("Metoder", "Methods"),
    "label": ("Navn", "Name"),
    "name": ("Navn", "Name"),
    "value": ("Verdi", "Value"),
    "rule": ("Krav", "Rule"),
    "citation": ("Hjemmel", "Citation"),
    "rationale": ("Begrunnelse", "Rationale"),
    "source": ("Kilde", "Source"),
    "excluded": ("Utelatt", "Excluded"),
    "excluded_by": ("Utelatt av", "Excluded by"),
    "stakeholder": ("Interessent", "Stakeholder"),
    "profile": ("Vektprofil", "Weight profile"),
    "criteria_file": ("Kriteriefilen", "Criteria file"),
    "scenario_weights": ("Vekter satt i scenariofilen", "Weights set in the scenario file"),
    "foa_part": ("Del av anskaffelsesforskriften", "Part of the procurement regulation (FOA)"),
    "yes": ("ja", "yes"),
    "no": ("nei", "no"),
    "no_rows": ("(ingen)", "(none)"),
    "decision": ("Beslutning", "Decision"),
    "case": ("Sak", "Case"),
    "scenario": ("Scenario", "Scenario"),
    "samples": ("Trekk", "Samples"),
    "seed": ("Frø", "Seed"),
    "language": ("Språk", "Language"),
    "count": ("Antall", "Count"),
    "mean_rank": ("Gj.sn. rangering", "Mean rank"),
    "best": ("Best", "Best"),
    "winner": ("Vinner", "Winner"),
    "agreement": ("Samsvar", "Agreement"),
    "normalised_score": ("Normalisert skår (0 = dårligst, 1 = best)", "Normalised score (0 = worst, 1 = best)"),
    "year": ("År", "Year"),
    "procedure": ("Prosedyre", "Procedure"),
    "contract": ("Kontrakt", "Contract"),
    "description": ("Beskrivelse", "Description"),
    "status": ("Status", "Status"),
    "item": ("Punkt", "Item"),
    # result columns
    "npv": ("Nåverdi", "NPV"),
    "incremental_npv": ("Nåverdi mot 0-alternativet", "NPV vs the 0-alternative"),
    "pv_costs": ("Nåverdi kostnader", "PV costs"),
    "pv_benefits": ("Nåverdi nytte", "PV benefits"),
    "investment": ("Investering", "Investment"),
    "npv_P50": ("Nåverdi P50", "NPV P50"),
    "npv_P85": ("Nåverdi P85", "NPV P85"),
    "investment_P50": ("Investering P50", "Investment P50"),
    "investment_P85": ("Investering P85", "Investment P85"),
    "p_npv_positive": ("P(nåverdi > 0)", "P(NPV > 0)"),
    "p_cheapest": ("P(billigst)", "P(cheapest)"),
    "first": ("Andel først", "Share first"),
    "first_se": ("± (std.feil)", "± (std. error)"),
    "confidence": ("Konfidens", "Confidence"),
    "part": ("FOA-del", "FOA part"),
    "rounds": ("Runder", "Rounds"),
    "months": ("Måneder", "Months"),
    "standard_contracts": ("Standardavtaler (SSA)", "Standard contracts (SSA)"),
    "procedure_allowed": ("Prosedyren tillatt", "Procedure allowed"),
    "procedure_needs": ("Prosedyren krever", "Procedure needs"),
    "condition": ("Vilkår († bestått dersom)", "Condition († pass-if)"),
    "lead_time_months": ("Ledetid (måneder)", "Lead time (months)"),
    "screen": ("Krav ved screening", "Screen"),
    "expected_cost_mnok": ("Forventet kostnad (MNOK)", "Expected cost (MNOK)"),
    "expected_delay_months": ("Forventet forsinkelse (måneder)", "Expected delay (months)"),
    "p50_delay_months": ("Forsinkelse P50 (måneder)", "Delay P50 (months)"),
    "p85_delay_months": ("Forsinkelse P85 (måneder)", "Delay P85 (months)"),
    "events": ("Hendelser (sannsynlighet)", "Events (probability)"),
    "citations": ("Hjemmel", "Legal basis"),
    "contract_p85": ("Kontrakt P85 (med klagerisiko)", "Contract P85 (with enforcement risk)"),
    "allowed": ("Tillatt", "Allowed"),
    "reason": ("Begrunnelse", "Reason"),
    "missing": ("Krever", "Needs"),
    "days": ("Dager", "Days"),
    "minimum_days": ("Minste antall dager", "Minimum days"),
    "weight_criterion": ("Vekt: kriterium", "Weight: criterion"),
    "weight_from": ("Vekt nå", "Weight now"),
    "weight_to": ("Vekt som trengs", "Weight needed"),
    "weight_change": ("Vektendring", "Weight change"),
    "score_criterion": ("Skår: kriterium", "Score: criterion"),
    "score_from": ("Skår nå", "Score now"),
    "score_to": ("Skår som trengs", "Score needed"),
    "score_change": ("Skårendring", "Score change"),
    "score_relative": ("Andel av skalaen", "Share of scale"),
    "easiest": ("Minste endring", "Smallest change"),
    "winner_without": ("Vinner uten gruppen", "Winner without the group"),
    "changes_winner": ("Endrer vinneren", "Changes the winner"),
    "borda": ("Borda-poeng", "Borda points"),
    "borda_rank": ("Borda-rang", "Borda rank"),
    "copeland": ("Copeland-poeng", "Copeland points"),
    "copeland_rank": ("Copeland-rang", "Copeland rank"),
    "t": ("t", "t"),
    "rate": ("Rente", "Rate"),
    "factor": ("Diskonteringsfaktor", "Discount factor"),
    # figure texts (axes, legends, colour bars, titles)
    "fig_rank": ("rangering", "rank"),
    "fig_share_of_draws": ("andel av trekkene (%)", "share of draws (%)"),
    "fig_weight": ("vekt", "weight"),
    "fig_central_weight": ("sentral vekt", "central weight"),
    "fig_row_above_column": ("% av trekkene der raden er over kolonnen", "% of draws row above column"),
    "fig_score_at_low": ("skår med lav verdi", "score at its low value"),
    "fig_score_at_high": ("skår med høy verdi", "score at its high value"),
    "fig_score_of": ("skår for {option}", "score of {option}"),
    "fig_what_moves": ("Det som flytter skåren til {option} mest", "What moves {option}'s score most"),
    "fig_cumulative_probability": ("kumulativ sannsynlighet", "cumulative probability"),
    "fig_real_prices": ("faste priser i basisåret", "real base-year prices"),
    "fig_s_curve": ("S-kurve", "S-curve"),
    "fig_date": ("dato", "date"),
    "fig_phase": ("Fase", "Phase"),
    "fig_months_short": ("mnd", "mo"),
    "fig_no_joint_contract": ("ingen felles kontrakt (0 mnd)", "no joint contract (0 mo)"),
    "fig_timeline_title": ("Anskaffelsesløp per alternativ", "Procurement timeline per option"),
    "fig_probability": ("sannsynlighet", "probability"),
    "fig_consequence": ("konsekvens", "consequence"),
    "fig_risk_level": ("sannsynlighet × konsekvens", "probability × consequence"),
    "fig_risks": ("Risikoer", "Risks"),
    "fig_per_cell": ("antall per celle", "number per cell"),
    # procurement phases (Gantt legend)
    "phase_condition": ("Venter på vilkåret (†)", "Waiting for the condition (†)"),
    "phase_preparation": ("Forberedelse", "Preparation"),
    "phase_requests": ("Forespørsler om å delta", "Requests to participate"),
    "phase_qualification": ("Kvalifisering", "Qualification"),
    "phase_tenders": ("Tilbudsperiode", "Tender period"),
    "phase_round": ("Dialog-/forhandlingsrunde", "Dialogue / negotiation round"),
    "phase_final-tenders": ("Endelige tilbud", "Final tenders"),
    "phase_evaluation": ("Evaluering", "Evaluation"),
    "phase_negotiation": ("Forhandling", "Negotiation"),
    "phase_establishment": ("Etablering", "Establishment"),
    "phase_agreement": ("Egenregiavtale", "In-house agreement"),
    "phase_framework-competition": ("Konkurranse om rammeavtale", "Framework competition"),
    "phase_call-off": ("Avrop (minikonkurranse)", "Call-off (mini-competition)"),
    "phase_standstill": ("Karensperiode", "Standstill"),
    # headings
    "h_inputs": ("Inndata og datakontroll", "Inputs and data check"),
    "h_ranking": ("Rangering og metodesammenligning", "Ranking and method comparison"),
    "h_sensitivity": ("Følsomhet og SMAA", "Sensitivity and SMAA"),
    "h_cba": ("Samfunnsøkonomisk analyse", "Cost-benefit analysis"),
    "h_route": ("Anskaffelsesprosedyre og tidslinje", "Procurement route and timeline"),
    "h_stakeholders": ("Interessenter", "Stakeholders"),
    "h_summary": ("Sammendrag for beslutningstakere", "Summary for decision makers"),
    "decision_matrix": ("Beslutningsmatrise", "Decision matrix"),
    "ranks_by_method": ("Rangering per metode", "Ranks by method"),
    "weights_by_stakeholder": ("Vekter per interessent", "Weights by stakeholder"),
    "ranks_by_stakeholder": ("Rangering med hver gruppes vekter", "Ranking with each group's weights"),
    "weights_used": ("Vekter brukt i rapporten", "Weights used in this report"),
    "illustrative": (
        "Eksempelsaken er illustrativ: skårer og vekter er eksempler, ikke offisielle vurderinger.",
        "The example case is illustrative: scores and weights are examples, not official judgements.",
    ),
    # cost-benefit analysis (report 04, summary 07)
    "incremental_npv_expected": ("ΔNNV, forventningsverdi", "ΔNPV, expected value"),
    "incremental_npv_likely": ("ΔNNV, mest sannsynlige verdier", "ΔNPV, most likely values"),
    "incremental_npv_without_residual_expected": ("ΔNNV uten restverdi, forventningsverdi",
                                                  "ΔNPV without residual value, expected value"),
    "incremental_npv_without_residual_likely": ("ΔNNV uten restverdi, mest sannsynlige verdier",
                                                "ΔNPV without residual value, most likely values"),
    "incremental_npv_with_residual_expected": ("ΔNNV med restverdi, forventningsverdi",
                                               "ΔNPV with residual value, expected value"),
    "incremental_npv_with_residual_likely": ("ΔNNV med restverdi, mest sannsynlige verdier",
                                             "ΔNPV with residual value, most likely values"),
    "residual_share": ("Andel av ΔNNV fra restverdi", "Share of ΔNPV from residual value"),
    "incremental_npv_P10": ("ΔNNV P10", "ΔNPV P10"),
    "incremental_npv_P50": ("ΔNNV P50", "ΔNPV P50"),
    "incremental_npv_P90": ("ΔNNV P90", "ΔNPV P90"),
    "p_incremental_positive": ("P(ΔNNV > 0)", "P(ΔNPV > 0)"),
    "incremental_net_benefit_per_krone": ("Netto nytte per budsjettkrone (mot 0-alt.)",
                                          "Net benefit per budget krone (vs 0-alt.)"),
    "npv_expected": ("Nåverdi, forventningsverdi", "NPV, expected value"),
    "npv_likely": ("Nåverdi, mest sannsynlige verdier", "NPV, most likely values"),
    "npv_P10": ("Nåverdi P10", "NPV P10"),
    "npv_P90": ("Nåverdi P90", "NPV P90"),
    "residual_value": ("Restverdi", "Residual value"),
    "tax_cost": ("Skattefinansieringskostnad", "Tax-financing cost"),
    "p_best": ("P(høyest nåverdi)", "P(highest NPV)"),
    "investment_expected": ("Investering, forventningsverdi", "Investment, expected value"),
    "investment_likely": ("Investering, mest sannsynlige verdier", "Investment, most likely values"),
    "steering_frame": ("Styringsramme (P50 investering)", "Steering frame (P50 investment)"),
    "cost_frame": ("Kostnadsramme (P85 investering)", "Cost frame (P85 investment)"),
    "pv_costs_P50": ("Nåverdi livsløpskostnader P50", "PV life-cycle costs P50"),
    "pv_costs_P85": ("Nåverdi livsløpskostnader P85", "PV life-cycle costs P85"),
    "event": ("Hendelse", "Event"),
    "expected_cost": ("Forventet kostnad (MNOK)", "Expected cost (MNOK)"),
    "effect": ("Virkning", "Effect"),
    "importance": ("Betydning", "Importance"),
    "overall_rank": ("Samlet rangering", "Overall rank"),
    "driver_option": ("Estimat for", "Estimate of"),
    "driver_category": ("Kategori", "Category"),
    "delta_at_low": ("Endring i ΔNNV, lav verdi", "Change of ΔNPV, low value"),
    "delta_at_high": ("Endring i ΔNNV, høy verdi", "Change of ΔNPV, high value"),
    "share_of_difference": ("Andel av ΔNNV", "Share of ΔNPV"),
    "source_illustrative": ("Kilden kaller det illustrativt", "Source calls it illustrative"),
    "npv_rank": ("Rang etter ΔNNV", "Rank by ΔNPV"),
    "non_priced": ("Ikke-prissatte virkninger", "Non-priced effects"),
    "reasoning": ("Begrunnelse", "Reasoning"),
    "parameter": ("Parameter", "Parameter"),
    "payer": ("Betaler", "Payer"),
    "cost_pv": ("Nåverdi av kostnader", "PV of costs"),
    "share_of_cost": ("Andel av kostnadene", "Share of the costs"),
    "nok_per_inhabitant": ("Kroner per innbygger (nåverdi)", "NOK per inhabitant (PV)"),
    "municipal_nok_per_inhabitant": ("Kommunenes kroner per innbygger (nåverdi)", "Municipalities' NOK per inhabitant (PV)"),
    "municipal_nok_per_inhabitant_last_year": ("Kommunenes kroner per innbygger, siste år",
                                               "Municipalities' NOK per inhabitant, last year"),
    "budget_whole_period": ("Hele analyseperioden (MNOK)", "Whole analysis period (MNOK)"),
    "budget_payment_per_inhabitant": ("Kroner per innbygger, hele perioden", "NOK per inhabitant, whole period"),
    "break_even_share": ("Nødvendig befolkningsandel (ΔNNV = 0)", "Break-even population share (ΔNPV = 0)"),
    "within_condition": ("Under andelen i KS2 av Akson (annen modell)", "Below the share in the KS2 of Akson (another model)"),
    "reaches_comparison_share": ("Når andelen i KS2 av Akson (annen modell)",
                                 "Reaches the share in the KS2 of Akson (another model)"),
    "p_share_above_break_even": ("P(andel over nødvendig andel)", "P(share above break-even)"),
    "p_positive_uncertain_uptake": ("P(ΔNNV > 0) med usikker oppslutning", "P(ΔNPV > 0) with uncertain uptake"),
    "delta_npv_full": ("ΔNNV når alle blir med", "ΔNPV when all join"),
    "delta_npv_none": ("ΔNNV når ingen blir med", "ΔNPV when none join"),
    "final_share": ("Befolkningsandel til slutt", "Final population share"),
    "uptake_note": ("Merknad", "Note"),
}

for _table in (words_case.LABELS, words_mcda.LABELS, words_cba.LABELS, words_law.LABELS, words_tender.LABELS,
               words_report.LABELS, words_papers.LABELS, words_forms.LABELS):
    _twice = sorted(set(LABELS) & set(_table))
    if _twice:
        raise ValueError(f"label keys defined twice: {', '.join(_twice)}")
    LABELS.update(_table)


#: MCDA method id -> (bokmål, English) name shown in reports; acronyms are the methods' proper names.
METHOD_LABELS: dict[str, tuple[str, str]] = {
    "wsm": ("vektet sum", "weighted sum"),
    "wsm-sum": ("vektet sum (sumnormalisering)", "weighted sum (sum normalisation)"),
    "wpm": ("vektet produkt", "weighted product"),
    "topsis": ("TOPSIS", "TOPSIS"),
    "vikor": ("VIKOR", "VIKOR"),
    "electre1": ("ELECTRE I", "ELECTRE I"),
    "electre2": ("ELECTRE II", "ELECTRE II"),
    "multimoora": ("MULTIMOORA", "MULTIMOORA"),
    "spotis": ("SPOTIS", "SPOTIS"),
    "copras": ("COPRAS", "COPRAS"),
    "waspas": ("WASPAS", "WASPAS"),
    "promethee2": ("PROMETHEE II", "PROMETHEE II"),
    "ahp": ("AHP", "AHP"),
}


def method_label(method: str, language: str = "nb") -> str:
    """The report name of an MCDA method id (``wsm`` → "vektet sum" / "weighted sum"); the id when unknown."""
    pair = METHOD_LABELS.get(method)
    if pair is None:
        return method.upper()
    if language == "nn":
        return words_nn.METHODS.get(method) or (pair[0] if pair[0] == pair[1] else _no_nynorsk(f"method {method}"))
    return pair[1] if language == "en" else pair[0]


def _no_nynorsk(what: str) -> str:
    raise KeyError(f"no nynorsk text for {what}: add it to procurement.text.words_nn")


def nynorsk(key: str) -> str:
    """The nynorsk text of label `key` (:mod:`procurement.text.words_nn`); KeyError when there is none."""
    text = words_nn.LABELS.get(key)
    return text if text is not None else _no_nynorsk(f"label '{key}'")


#: units written in the data files -> (bokmål, English)
UNIT_LABELS: dict[str, tuple[str, str]] = {
    "months": ("måneder", "months"),
    "month": ("måneder", "months"),
    "years": ("år", "years"),
    "days": ("dager", "days"),
    "points": ("poeng", "points"),
    "percent": ("%", "%"),
    "%": ("%", "%"),
}


def unit_label(unit: str, language: str = "nb") -> str:
    """A unit from a data file in the report language (``months`` → "måneder"); unknown units as written."""
    pair = UNIT_LABELS.get(unit.strip().lower())
    if pair is None:
        return unit
    return pair[1] if language == "en" else pair[0]


def label(key: str, language: str = "nb") -> str:
    """The report word for `key`; the key itself when there is none."""
    pair = LABELS.get(key)
    if pair is None:
        return key
    if language == "nn":
        return nynorsk(key)
    return pair[1] if language == "en" else pair[0]


def labels(keys: Iterable[str], language: str = "nb") -> list[str]:
    return [label(k, language) for k in keys]


def translate_columns(df: pd.DataFrame, language: str = "nb", extra: dict[str, str] | None = None) -> pd.DataFrame:
    """A copy of `df` whose column and index names are report headers.

    `extra` maps further column names (for example criterion ids) to labels
    taken from the data files.
    """
    extra = extra or {}

    def tr(name):
        if name is None:
            return None
        name = str(name)
        if name in extra:
            return extra[name]
        if name in LABELS:
            return label(name, language)
        for prefix in ("rank_", "score_"):
            if name.startswith(prefix):
                return f"{label(prefix[:-1], language)} ({method_label(name[len(prefix):], language)})"
        if name in METHOD_LABELS:
            return method_label(name, language)
        return name

    out = df.rename(columns=tr)
    out.index = out.index.rename(tr(out.index.name)) if out.index.nlevels == 1 else out.index
    return out

