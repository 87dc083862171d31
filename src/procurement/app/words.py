"""The workbench's own words in bokmål and English, and the number formats its pages use.

Generic words (table headers, figure axes) come from :mod:`procurement.text.labels`.
"""

from __future__ import annotations

from typing import Any

#: The workbench's own words, key -> (bokmål, English). Generic words come from procurement.text.labels.
WORDS: dict[str, tuple[str, str]] = {
    "title": ("Arbeidsbenk", "Workbench"),
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
    "smaa_note": (
        "{samples} trekk, frø {seed}; skårer trukket fra lav–sannsynlig–høy, hver vekt ± {u} %.",
        "{samples} samples, seed {seed}; scores drawn from low–likely–high, each weight ± {u} %.",
    ),
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
    "bars_relative": (
        "Skårene er negative: stolpene viser avstanden fra den laveste.",
        "The scores are negative: the bars show the distance from the lowest.",
    ),
}


def word(key: str, language: str = "nb", **fmt: Any) -> str:
    pair = WORDS.get(key)
    if pair is None:
        from procurement.text.labels import label

        text = label(key, language)
    else:
        text = pair[1] if language == "en" else pair[0]
    return text.format(**fmt) if fmt else text


def _fmt_int(n: int, language: str) -> str:
    s = f"{n:,}"
    return s.replace(",", "\u202f") if language == "nb" else s


def _pct(x: float, decimals: int = 0, lang: str = "nb") -> str:
    """A share as a percentage in the workbench's language (procurement.text.fmt): "24 %" (nb), "24%" (en)."""
    from procurement.text import fmt

    return fmt.percent(x, "en" if lang == "en" else "nb", decimals)


# ---------------------------------------------------------------------------
# rendering: HTML tables and PNG figures, shared by the live and static views
# ---------------------------------------------------------------------------
