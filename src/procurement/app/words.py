"""The workbench's own words in bokmål and English.

Generic words (table headers, figure axes) come from :mod:`procurement.text.labels`, numbers from
:mod:`procurement.text.fmt`, and sentences that state a parameter from the engine's results
(:func:`procurement.text.sentences.describe`); here are only the words of the workbench's controls and notes.
"""

from __future__ import annotations

from typing import Any

from procurement.text import fmt
from procurement.text.labels import LANGUAGES, label

#: The workbench's own words, key -> (bokmål, English). Generic words come from procurement.text.labels.
WORDS: dict[str, tuple[str, str]] = {
    "title": ("Arbeidsbenk", "Workbench"),
    "intro": (
        "Flytt vektene, velg en interessentgruppe eller en metode, og se rangeringen, rangakseptabiliteten (SMAA) og "
        "«hva skal til»-tabellen endre seg. «Lagre som scenario» skriver innstillingene til saksmappens scenarios/, "
        "og procurement run gjenskaper dem.",
        "Move the weights, pick a stakeholder group or a method, and watch the ranking, the rank acceptability (SMAA) "
        "and the \"what would it take\" table change. \"Save as scenario\" writes the settings to the case's "
        "scenarios/ folder, and procurement run reproduces them.",
    ),
    "weights_heading": ("Vekter", "Weights"),
    "weights_help": (
        "Flytt en vekt: vektene normaliseres slik at de summerer til 100 %.",
        "Move a weight: the weights are normalised to sum to 100 %.",
    ),
    "profile": ("Vektprofil", "Weight profile"),
    "criteria_file": ("Kriteriefilens vekter", "Criteria file weights"),
    "method": ("Metode", "Method"),
    "uncertainty": ("Vektusikkerhet ± %", "Weight uncertainty ± %"),
    "ranking": ("Rangering", "Ranking"),
    "scores": ("Skår", "Score"),
    "acceptability": ("Rangakseptabilitet (SMAA)", "Rank acceptability (SMAA)"),
    "acceptability_axis": ("Andel av trekkene", "Share of samples"),
    "first_rank": ("Rangert først", "Ranked first"),
    "stability": ("Stabilitetsintervaller", "Stability intervals"),
    "stability_help": (
        "Hvor langt hver vekt kan endres (de andre justeres forholdsmessig) før et annet alternativ blir best.",
        "How far each weight can move (the others rescaled in proportion) before another option comes first.",
    ),
    "what_it_takes": ("Hva skal til?", "What would it take?"),
    "what_it_takes_help": (
        "Den minste endringen av én vekt (de andre justert forholdsmessig), eller av én av alternativets egne skårer, "
        "som gjør alternativet best.",
        "The smallest change of one weight (the others rescaled in proportion), or of one of the option's own scores, "
        "that makes the option come first.",
    ),
    "weight_change": ("Endring av én vekt", "Change of one weight"),
    "score_change": ("Endring av én skår", "Change of one score"),
    "no_score_change": ("ingen endring av én skår er nok", "no change of a single score is enough"),
    "weight_now": ("Vekt nå", "Weight now"),
    "weight_needed": ("Vekt som trengs", "Weight needed"),
    "change": ("Endring", "Change"),
    "from": ("fra", "from"),
    "to": ("til", "to"),
    "interval": ("Intervall", "Interval"),
    "no_weight_change": ("ingen endring av én vekt er nok", "no change of a single weight is enough"),
    "all_zero": (
        "Alle vektene er null. Gi minst ett kriterium en vekt over null for å se en rangering.",
        "All weights are zero. Give at least one criterion a weight above zero to see a ranking.",
    ),
    "excluded": ("Utelatt ved screening", "Excluded by screening"),
    "save_heading": ("Lagre som scenario", "Save as scenario"),
    "scenario_name": ("Navn", "Name"),
    "save": ("Lagre scenario", "Save scenario"),
    "overwrite": ("Overskriv", "Overwrite"),
    "cancel": ("Avbryt", "Cancel"),
    "exists": (
        "Scenarioet «{name}» finnes allerede. Vil du overskrive det?",
        "The scenario '{name}' exists already. Overwrite it?",
    ),
    "saved": ("Lagret {path}. Kjør det med: procurement run {path}", "Saved {path}. Run it with: procurement run {path}"),
    "not_saved": ("Ikke lagret.", "Not saved."),
    # what the SMAA shares assumed, from the analysis's scenario (see procurement.app.state.smaa_note)
    "smaa_note": ("{samples} trekk, frø {seed}; {weights}; {scores}.", "{samples} samples, seed {seed}; {weights}; {scores}."),
    "smaa_weights_bounds": (
        "hver vekt trukket innenfor ± {spread} av verdien, deretter normalisert",
        "each weight drawn within ± {spread} of its value, then renormalised",
    ),
    "smaa_weights_uniform": (
        "vektene trukket jevnt blant alle vektsett (ingen preferanseinformasjon)",
        "weights drawn uniformly from all weight sets (no preference information)",
    ),
    "smaa_weights_order": ("vektene trukket med bare rekkefølgen kjent", "weights drawn with only their order known"),
    "smaa_weights_profiles": (
        "vektene trukket blant interessentprofilene, hver ± {spread}",
        "weights drawn from the stakeholder profiles, each ± {spread}",
    ),
    "smaa_weights_fixed": ("vektene faste", "the weights fixed"),
    "smaa_scores_triangular": (
        "skårer trukket fra trekantfordelinger over lav–sannsynlig–høy",
        "scores drawn from triangular distributions over low–likely–high",
    ),
    "smaa_scores_pert": (
        "skårer trukket fra PERT-fordelinger over lav–sannsynlig–høy",
        "scores drawn from PERT distributions over low–likely–high",
    ),
    "smaa_scores_fixed": ("de mest sannsynlige skårene faste", "the likely scores fixed"),
    "smaa_unavailable": (
        "SMAA og stabilitet er tilgjengelig for metodene {methods}.",
        "SMAA and stability are available for the methods {methods}.",
    ),
    "compute_time": ("beregnet på {ms} ms", "computed in {ms} ms"),
    "static_note": (
        "Statisk visning med standardparametrene (ingen interaktiv visning tilgjengelig). Åpne notatboken i JupyterLab "
        "eller kjør `procurement app` for glidebrytere.",
        "Static view with the default parameters (no interactive front end). Open the notebook in JupyterLab or run "
        "`procurement app` for sliders.",
    ),
    "rank_n": ("Rang {n}", "Rank {n}"),
    "open": ("Åpne", "Open"),
    "case_placeholder": ("mappe med case.yaml, f.eks. data/min-sak", "folder with case.yaml, e.g. data/my-case"),
    "opened": ("Åpnet: {title}", "Opened: {title}"),
    "name_placeholder": ("ks-høy-kostnadsvekt", "ks-high-cost-weight"),
    "bars_relative": (
        "Skårene er negative: stolpene viser avstanden fra den laveste.",
        "The scores are negative: the bars show the distance from the lowest.",
    ),
}


def word(key: str, language: str = "nb", **values: Any) -> str:
    """The workbench's word `key` in `language` (``nb`` or ``en``), else the report label of that key."""
    pair = WORDS.get(key)
    text = label(key, language) if pair is None else pair[LANGUAGES.index(language)]
    return text.format(**values) if values else text


def percent(x: float, decimals: int = 0, lang: str = "nb") -> str:
    """A share as a percentage in the workbench's language (procurement.text.fmt): "24 %" (nb), "24%" (en)."""
    return fmt.percent(x, lang, decimals)
