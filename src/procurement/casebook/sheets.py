"""The sheets of the case workbook: their columns, headers in bokmål and English, and the file each one feeds."""

from __future__ import annotations

from dataclasses import dataclass

#: kinds of column: text, number, or an id chosen from a drop-down list (a range of the hidden lists sheet or a
#: fixed list)
TEXT, NUMBER = "text", "number"


@dataclass(frozen=True)
class Column:
    key: str
    en: str
    nb: str
    kind: str = TEXT
    choices: str | None = None  # a key of LISTS, or "a,b,c" for a fixed list
    width: int = 14

    def header(self, language: str) -> str:
        return self.nb if language == "nb" else self.en


@dataclass(frozen=True)
class Sheet:
    key: str
    en: str
    nb: str
    columns: tuple[Column, ...]
    file: str  # the case file it becomes

    def title(self, language: str) -> str:
        return self.nb if language == "nb" else self.en

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


_DEC = Column("decision", "decision", "beslutning", choices="decisions", width=22)
_OPT = Column("option", "option", "alternativ", choices="options", width=22)
_CRIT = Column("criterion", "criterion", "kriterium", choices="criteria", width=22)
_SOURCE = Column("source", "source (id in Stakeholders/case.yaml sources, or a reference)",
                 "kilde (id fra sources i case.yaml, eller en henvisning)", width=30)

OPTIONS = Sheet("options", "Options", "Alternativer", (
    _DEC,
    Column("id", "id (a-z, æøå, 0-9, -)", "id (a-z, æøå, 0-9, -)", width=22),
    Column("name_nb", "name (bokmål)", "navn (bokmål)", width=34),
    Column("name_en", "name (English)", "navn (engelsk)", width=34),
    Column("description", "description", "beskrivelse", width=60),
    Column("procedure", "procurement procedure", "anskaffelsesprosedyre", choices="procedures", width=24),
    Column("contract", "standard contract (SSA)", "standardkontrakt (SSA)"),
    Column("notes", "notes", "merknader", width=40),
), "options.csv")

CRITERIA = Sheet("criteria", "Criteria", "Kriterier", (
    _DEC,
    Column("id", "id (a-z, æøå, 0-9, -)", "id (a-z, æøå, 0-9, -)", width=22),
    Column("label_nb", "name (bokmål)", "navn (bokmål)", width=30),
    Column("label_en", "name (English)", "navn (engelsk)", width=30),
    Column("description_nb", "description (bokmål)", "beskrivelse (bokmål)", width=60),
    Column("description_en", "description (English)", "beskrivelse (engelsk)", width=60),
    Column("direction", "direction (max: higher is better)", "retning (max: høyere er bedre)", choices="max,min"),
    Column("group", "group (value tree)", "gruppe (verditre)", choices="groups", width=18),
    Column("weight", "weight (relative)", "vekt (relativ)", NUMBER),
    Column("scale", "scale", "skala", choices="ordinal,natural"),
    Column("unit", "unit (natural scale)", "enhet (naturlig skala)"),
    Column("min", "scale min (unit)", "skala min (enhet)", NUMBER),
    Column("max", "scale max (unit)", "skala maks (enhet)", NUMBER),
    Column("must_min", "must pass: likely score at least", "må oppfylle: sannsynlig skår minst", NUMBER),
    Column("must_max", "must pass: likely score at most", "må oppfylle: sannsynlig skår høyst", NUMBER),
    Column("rule", "must pass: rule", "må oppfylle: regel", width=40),
    Column("citation", "must pass: citation", "må oppfylle: hjemmel", width=30),
), "criteria/<decision>.yaml")

RUBRIC = Sheet("rubric", "Rubric", "Rubrikk", (
    _DEC,
    _CRIT,
    Column("level", "level (score)", "nivå (skår)", NUMBER),
    Column("text_nb", "what the level means (bokmål)", "hva nivået betyr (bokmål)", width=60),
    Column("text_en", "what the level means (English)", "hva nivået betyr (engelsk)", width=60),
), "criteria/<decision>.yaml")

SCORES = Sheet("scores", "Scores", "Skårer", (
    _DEC,
    _OPT,
    _CRIT,
    Column("low", "low (criterion scale)", "lav (kriteriets skala)", NUMBER),
    Column("likely", "most likely (criterion scale)", "mest sannsynlig (kriteriets skala)", NUMBER),
    Column("high", "high (criterion scale)", "høy (kriteriets skala)", NUMBER),
    Column("rationale", "rationale", "begrunnelse", width=60),
    _SOURCE,
), "scores.csv")

CASHFLOWS = Sheet("cashflows", "Cash flows", "Kontantstrømmer", (
    _DEC,
    _OPT,
    Column("year", "year", "år", NUMBER, width=8),
    Column("category", "category", "kategori", choices="investment,operations,transition,benefit"),
    Column("low", "low ({unit}, real {year})", "lav ({unit}, faste {year}-kroner)", NUMBER),
    Column("likely", "most likely ({unit}, real {year})", "mest sannsynlig ({unit}, faste {year}-kroner)", NUMBER),
    Column("high", "high ({unit}, real {year})", "høy ({unit}, faste {year}-kroner)", NUMBER),
    _SOURCE,
), "cashflows.csv")

PROFILES = Sheet("profiles", "Profiles", "Vektprofiler", (
    _DEC,
    Column("group", "stakeholder group", "interessentgruppe", choices="stakeholders", width=18),
    _CRIT,
    Column("weight", "weight (relative)", "vekt (relativ)", NUMBER),
    Column("rank", "or rank (1 = most important)", "eller rangering (1 = viktigst)", NUMBER),
    Column("note", "note", "merknad", width=40),
), "profiles.csv")

STAKEHOLDERS = Sheet("stakeholders", "Stakeholders", "Interessenter", (
    Column("id", "id (a-z, æøå, 0-9, -)", "id (a-z, æøå, 0-9, -)", width=18),
    Column("label_nb", "name (bokmål)", "navn (bokmål)", width=34),
    Column("label_en", "name (English)", "navn (engelsk)", width=34),
    Column("description_nb", "description (bokmål)", "beskrivelse (bokmål)", width=60),
    Column("description_en", "description (English)", "beskrivelse (engelsk)", width=60),
), "case.yaml")

SHEETS = (OPTIONS, CRITERIA, RUBRIC, SCORES, CASHFLOWS, PROFILES, STAKEHOLDERS)
#: the CSV sheets: their file's required columns are the loader's
CSV_SHEETS = (OPTIONS, SCORES, CASHFLOWS, PROFILES)
LISTS_SHEET = "lists"
LISTS = ("decisions", "options", "criteria", "groups", "stakeholders", "procedures")

ABOUT = {
    "en": ("About this workbook", [
        "This workbook holds the whole case «{title}» ({case}). Each sheet is one input of the case:",
        "Options, Criteria (with the Rubric of each ordinal scale), Scores (low, most likely, high, with rationale and "
        "source), Cash flows, Profiles (stakeholder weights) and Stakeholders.",
        "Edit the white cells; headers are locked. Ids (decisions, options, criteria, groups, directions, categories) "
        "are chosen from drop-down lists. Units are in the column headers.",
        "Add a row for a new option, criterion or score; delete a row to remove one. Every option needs a score on "
        "every criterion (except criteria scored from the cash flows).",
        "Numbers may be typed with a decimal comma and spaces between thousands (7,5 or 12 500) in a bokmål "
        "workbook; an English workbook takes a decimal point (7.5).",
        "Read it back with: procurement import {xlsx} {case_dir}",
        "Nothing is written unless every sheet is valid; each problem names the sheet, the row and the column.",
        "Criteria groups, value functions, PROMETHEE preferences and scores from the cost-benefit analysis are "
        "kept as they are in the criteria files (edit them there).",
    ]),
    "nb": ("Om arbeidsboken", [
        "Denne arbeidsboken inneholder hele saken «{title}» ({case}). Hvert ark er én inndatafil i saken:",
        "Alternativer, Kriterier (med Rubrikk for hver ordinal skala), Skårer (lav, mest sannsynlig, høy, med "
        "begrunnelse og kilde), Kontantstrømmer, Vektprofiler og Interessenter.",
        "Rediger de hvite cellene; overskriftene er låst. Id-er (beslutninger, alternativer, kriterier, grupper, "
        "retninger, kategorier) velges fra nedtrekkslister. Enhetene står i kolonneoverskriftene.",
        "Legg til en rad for et nytt alternativ, kriterium eller en ny skår; slett en rad for å fjerne den. Hvert "
        "alternativ trenger en skår på hvert kriterium (unntatt kriterier som skåres fra kontantstrømmene).",
        "Tall kan skrives med desimalkomma og mellomrom mellom tusener (7,5 eller 12 500).",
        "Les den inn igjen med: procurement import {xlsx} {case_dir}",
        "Ingenting skrives før alle ark er gyldige; hvert problem oppgir ark, rad og kolonne.",
        "Kriteriegrupper, verdifunksjoner, PROMETHEE-preferanser og skårer fra nytte-kostnadsanalysen beholdes "
        "slik de står i kriteriefilene (rediger dem der).",
    ]),
}
