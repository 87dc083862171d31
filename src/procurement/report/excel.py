"""Result tables from a report run into one Excel workbook, one sheet per table.

How a table gets from a notebook to the workbook:

1. A notebook shows a result table with :func:`procurement.report.notebook.Report.show`,
   which calls :func:`publish` with the kind of every column (:func:`column_kind`:
   money in MNOK, a share shown as %, months, a date, an integer, a decimal, text).
2. When the runner executes a notebook it sets the environment variable
   :data:`TABLES_ENV` to a folder inside the run folder. :func:`publish`
   writes each table there as a small JSON file
   (``<notebook>--<NN>-<name>.json``, pandas "split" layout, no index column).
   Outside a report run (JupyterLab, nbval) the variable is unset and
   :func:`publish` does nothing.
3. After the notebooks ran, the runner calls :func:`collect` and
   :func:`write_workbook`: a first sheet about the run (scenario, parameters, case,
   run time and the SHA-256 of every input file), a contents sheet linking every
   table, then the tables in notebook order, in the order the notebook showed them.
   A table name shown twice (the summary repeats the key tables) keeps its first sheet.

In the workbook, sheet names and headers are in the report language and headers carry
their unit (``(MNOK)``, ``(%)``); every numeric cell has a number format (thousands
separator, 1–2 decimals, percentages as %; Excel shows them with the reader's own
decimal sign), dates are Excel dates, columns have widths. Text is always stored
as text: a cell beginning with ``=``, ``+``, ``-`` or ``@`` never becomes a formula,
and characters Excel cannot hold are replaced by U+FFFD. :func:`csv_safe_frame`
gives the same protection to CSV output (OWASP's CSV-injection rule: such cells
get a leading ``'``).

The files are plain JSON so a run folder can be inspected or re-exported
without the workbench.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from procurement.report.manifest import relative, sha256
from procurement.text import fmt
from procurement.text.labels import label
from procurement.text.cells import FORMULA_START, csv_safe, csv_safe_frame, excel_text, put_at  # noqa: F401 - part of this module's API

TABLES_ENV = "PROCUREMENT_TABLES_DIR"

_counter: dict[str, int] = {}


@dataclass
class PublishedTable:
    name: str
    title: str
    notebook: str
    frame: pd.DataFrame
    kinds: dict[str, str] = field(default_factory=dict)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-") or "table"


# ---------------------------------------------------------------------------
# Column kinds: how a column is written in HTML and Excel
# ---------------------------------------------------------------------------

#: amounts the report shows in MNOK
MONEY_COLUMNS = frozenset({
    "npv", "incremental_npv", "pv_costs", "pv_benefits", "investment", "npv_P50", "npv_P85", "investment_P50",
    "investment_P85",
    # cost-benefit tables (report 04, summary 07)
    "incremental_npv_expected", "incremental_npv_likely", "incremental_npv_P10", "incremental_npv_P50",
    "incremental_npv_P90", "npv_expected", "npv_likely", "npv_P10", "npv_P90", "residual_value", "tax_cost",
    "investment_expected", "investment_likely", "steering_frame", "cost_frame", "pv_costs_P50", "pv_costs_P85",
    "cost_pv", "delta_npv_full", "delta_npv_none",
})
#: shares between 0 and 1, shown as percentages
PERCENT_COLUMNS = frozenset({"first", "first_se", "confidence", "score_relative", "rate", "share", "share_of_cost",
                             "break_even_share", "final_share"})
#: numbers of months
MONTH_COLUMNS = {"months", "lead_time_months"}
#: ISO dates held as text
DATE_COLUMNS = {"contract", "date", "start", "end"}
#: calendar years: whole numbers written without digit grouping (2026, not 2 026)
YEAR_COLUMNS = frozenset({"year", "base_year", "first_year", "last_year", "start_year", "end_year", "from_year",
                          "to_year"})
KINDS = ("money", "percent", "months", "date", "year", "integer", "decimal", "text")
_RANK_SHARE = re.compile(r"^(rank|rangering) \d+$")


def column_kind(name: object, values: pd.Series) -> str:
    """How column `name` (its id before translation) with `values` is written: one of :data:`KINDS`."""
    key = str(name)
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if numeric and (key in PERCENT_COLUMNS or key.startswith("p_") or _RANK_SHARE.match(key)):
        return "percent"
    if numeric and key in MONEY_COLUMNS:
        return "money"
    if numeric and key in MONTH_COLUMNS:
        return "months"
    if numeric and key in YEAR_COLUMNS and values.dropna().map(float).map(float.is_integer).all():
        return "year"
    if numeric:
        return "integer" if pd.api.types.is_integer_dtype(values) else "decimal"
    present = values.dropna()
    if len(present) and (key in DATE_COLUMNS or len(present) > 1) and all(
        isinstance(v, dt.date) or (isinstance(v, str) and fmt.parse_date(v) is not None) for v in present
    ):
        return "date"
    return "text"


def column_kinds(frame: pd.DataFrame, names: Iterable[object] | None = None) -> dict[str, str]:
    """The kind of every column of `frame`, keyed by `names` (the shown headers; default the column names)."""
    shown = list(names) if names is not None else list(frame.columns)
    return {str(n): column_kind(c, frame[c]) for c, n in zip(frame.columns, shown, strict=True)}


#: the unit a header gets in the workbook, per kind
UNITS = {"money": "MNOK", "percent": "%"}


def header_with_unit(header: str, kind: str) -> str:
    unit = UNITS.get(kind)
    return f"{header} ({unit})" if unit and f"({unit})" not in header else header


# ---------------------------------------------------------------------------
# Text that must stay text (Excel formulas, CSV injection)
# ---------------------------------------------------------------------------

# excel_text and the cell writer live in procurement.text.cells (every workbook writer uses them)


# ---------------------------------------------------------------------------
# From notebooks to the runner
# ---------------------------------------------------------------------------


def _split(df: pd.DataFrame) -> dict[str, Any]:
    """`df` in pandas' "split" layout at full precision, its index (ids) as the first column(s)."""
    frame = df.copy()
    if isinstance(frame.columns, pd.MultiIndex):
        frame.columns = [" / ".join(str(x) for x in col) for col in frame.columns]
    frame.columns = [str(c) for c in frame.columns]
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
        frame = frame.reset_index()
        frame.columns = [str(c) for c in frame.columns]
    return json.loads(frame.to_json(orient="split", index=False, date_format="iso", force_ascii=False, double_precision=15))


def publish(df: pd.DataFrame, name: str, title: str = "", notebook: str = "notebook",
            kinds: dict[str, str] | None = None, machine: pd.DataFrame | None = None) -> Path | None:
    """Write `df` for the runner's workbook when running under the runner; else do nothing.

    `df` is the table as a reader sees it (headers in the report language), which
    the Excel workbook shows; `machine` (default `df`) is the same table with its
    ids and neutral column keys, which ``tables/*.json`` keeps for programs.
    """
    folder = os.environ.get(TABLES_ENV)
    if not folder:
        return None
    folder_path = Path(folder)
    folder_path.mkdir(parents=True, exist_ok=True)
    n = _counter.get(notebook, 0) + 1
    _counter[notebook] = n
    payload = {
        "name": name,
        "title": title or name,
        "notebook": notebook,
        "kinds": {str(k): v for k, v in (kinds or {}).items()},
        "table": _split(df if machine is None else machine),
        "display": _split(df),
    }
    path = folder_path / f"{notebook}--{n:02d}-{_slug(name)}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def collect(folder: str | Path, notebook_order: list[str] | None = None) -> list[PublishedTable]:
    """Read the tables published into `folder`, in notebook order, first of each name kept."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    order = {nb: i for i, nb in enumerate(notebook_order or [])}
    files = sorted(folder.glob("*.json"), key=lambda p: (order.get(p.name.split("--")[0], len(order)), p.name))
    out: list[PublishedTable] = []
    seen: set[str] = set()
    for path in files:
        payload = json.loads(path.read_text(encoding="utf-8"))
        if payload["name"] in seen:
            continue
        seen.add(payload["name"])
        t = payload.get("display", payload["table"])
        frame = pd.DataFrame(t["data"], columns=t["columns"])
        out.append(PublishedTable(payload["name"], payload["title"], payload["notebook"], frame, payload.get("kinds", {})))
    return out


# ---------------------------------------------------------------------------
# The workbook
# ---------------------------------------------------------------------------

_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")

#: table name -> (bokmål, English) sheet name
SHEET_NAMES: dict[str, tuple[str, str]] = {
    "about": ("Om kjøringen", "About this run"),
    "contents": ("Innhold", "Contents"),
    "data-check": ("Datakontroll", "Data check"),
    "options": ("Alternativer", "Options"),
    "criteria": ("Kriterier", "Criteria"),
    "scores-likely": ("Skårer (mest sannsynlig)", "Scores (most likely)"),
    "widest-ranges": ("Største spenn", "Widest ranges"),
    "screened-out": ("Utelatt av minstekrav", "Screened out"),
    "ranking": ("Rangering", "Ranking"),
    "method-comparison": ("Metodesammenligning", "Method comparison"),
    "method-correlation": ("Metodekorrelasjon", "Method correlation"),
    "acceptability": ("Akseptabilitet (SMAA)", "Acceptability (SMAA)"),
    "what-would-it-take": ("Hva som skal til", "What would it take"),
    "npv": ("Nåverdi", "NPV"),
    "npv-uncertainty": ("Nåverdi usikkerhet", "NPV uncertainty"),
    "discount-rates": ("Diskonteringsrenter", "Discount rates"),
    "route": ("Anskaffelsesløp", "Procurement route"),
    "procedures": ("Prosedyrer", "Procedures"),
    "lengthened-phases": ("Forlengede faser", "Lengthened phases"),
    "stakeholder-weights": ("Vekter per gruppe", "Stakeholder weights"),
    "stakeholder-ranking": ("Rangering per gruppe", "Stakeholder ranking"),
    "stakeholder-agreement": ("Samsvar mellom grupper", "Stakeholder agreement"),
    "leave-one-out": ("Uten én gruppe", "Leave one out"),
    "cba-increments": ("Mot 0-alternativet", "Against the 0-alternative"),
    "cost-frames": ("Kostnadsrammer", "Cost frames"),
    "risk-costs": ("Risikokostnader", "Risk costs"),
    "plus-minus": ("Pluss-minus", "Plus-minus"),
    "combined-assessment": ("Samlet vurdering", "Combined assessment"),
    "difference-drivers": ("Hva flytter forskjellene", "What moves the differences"),
    "budget": ("Budsjett per betaler", "Budget per payer"),
    "financing": ("Finansiering", "Financing"),
    "per-inhabitant": ("Per innbygger", "Per inhabitant"),
    "uptake": ("Oppslutning", "Uptake"),
    "uptake-scenarios": ("Oppslutningsscenarioer", "Uptake scenarios"),
    "r109-parameters": ("R-109-parametere", "R-109 parameters"),
    "screening": ("Siling", "Screening"),
    "enforcement": ("Håndhevelse", "Enforcement"),
    # report 08 (procurement.tender.report)
    "evaluation-model": ("Evalueringsmodell", "Evaluation model"),
    "price-model-simulation": ("Simulering av prismodeller", "Price model simulation"),
    "evaluation": ("Evaluering", "Evaluation"),
    "consensus": ("Konsensus og uenighet", "Consensus and disagreement"),
    "justifications": ("Begrunnelser", "Justifications"),
    "what-it-takes": ("Hva som skal til for å vinne", "What it takes to win"),
    "weight-sweep": ("Vinner etter prisvekt", "Winner by price weight"),
    "paradox-check": ("Rangeringsparadoks", "Ranking paradox check"),
}

_WORDS: dict[str, tuple[str, str]] = {
    "sheet": ("Ark", "Sheet"),
    "table": ("Tabell", "Table"),
    "notebook": ("Notatbok", "Notebook"),
    "rows": ("Rader", "Rows"),
    "item": ("Punkt", "Item"),
    "value": ("Verdi", "Value"),
}

#: Excel number formats per column kind (Excel writes them with the reader's decimal sign and grouping)
NUMBER_FORMATS = {
    "money": "#,##0.0",
    "percent": "0.0%",
    "months": "#,##0.0",
    "integer": "#,##0",
    "year": "0",
    "decimal": "#,##0.00",
}
DATE_FORMATS = {"nb": "dd.mm.yyyy", "en": "d mmm yyyy"}
DATETIME_FORMATS = {"nb": "dd.mm.yyyy hh:mm", "en": "d mmm yyyy hh:mm"}


def _word(key: str, language: str) -> str:
    nb, en = _WORDS[key]
    return en if language == "en" else nb


def sheet_title(name: str, language: str = "nb") -> str:
    """The sheet name of table `name` in the report language (the name itself when there is none)."""
    pair = SHEET_NAMES.get(name)
    if pair is None:
        return name
    return pair[1] if language == "en" else pair[0]


def sheet_names(names: list[str], reserved: Iterable[str] = ("contents",)) -> list[str]:
    """Valid, unique Excel sheet names (≤ 31 characters, no []:*?/\\), none equal to a `reserved` one."""
    out: list[str] = []
    used = {r.lower() for r in reserved}
    for name in names:
        base = _BAD_SHEET.sub("-", excel_text(name)).strip("'")[:31] or "table"
        candidate, i = base, 2
        while candidate.lower() in used:
            suffix = f"-{i}"
            candidate = base[: 31 - len(suffix)] + suffix
            i += 1
        used.add(candidate.lower())
        out.append(candidate)
    return out


def about_run(plan: Any, started: str, language: str = "nb") -> list[tuple[str, Any]]:
    """The rows of the workbook's first sheet: scenario, case, run time, parameters and input hashes.

    `plan` is a :class:`procurement.report.plan.Plan`; the hashes are the manifest's (same files, same SHA-256).
    """
    rows: list[tuple[str, Any]] = [
        (label("about_scenario", language), plan.name),
        (label("about_description", language), plan.description),
        (label("about_case", language), relative(plan.case_dir, plan.root)),
        (label("about_scenario_file", language), relative(plan.scenario_file, plan.root)),
        (label("about_started", language), dt.datetime.fromisoformat(started).replace(tzinfo=None)),
    ]
    for key, value in _flat(plan.parameters):
        rows.append((f"{label('about_parameter', language)}: {key}", _cell_value(value)))
    for path in plan.inputs:
        if path.exists():
            rows.append((f"SHA-256: {relative(path, plan.root)}", sha256(path)))
    return rows


def _flat(values: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """One (key, value) per parameter, a nested mapping's keys joined by dots (``uncertainty.spread``), so the run
    sheet shows one parameter per row instead of a JSON text."""
    out: list[tuple[str, Any]] = []
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out += _flat(value, name + ".")
        else:
            out.append((name, value))
    return out


def _cell_value(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def write_workbook(tables: list[PublishedTable], path: str | Path, title: str = "", language: str = "en",
                   about: list[tuple[str, Any]] | None = None) -> Path | None:
    """An about sheet (when `about` is given), a contents sheet, then one sheet per table; None without tables."""
    if not tables:
        return None
    from openpyxl import Workbook  # lazy: openpyxl costs 0.08 s; `rank --format csv` imports excel only for csv_safe_frame

    lang = "en" if language == "en" else "nb"
    path = Path(path)
    about_name, contents_name = sheet_title("about", lang), sheet_title("contents", lang)
    names = sheet_names([sheet_title(t.name, lang) for t in tables], reserved=(about_name, contents_name))
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    if about:
        _about_sheet(wb.create_sheet(about_name), about, title, lang)
    _contents_sheet(wb.create_sheet(contents_name), tables, names, title, lang)
    for sheet, t in zip(names, tables, strict=True):
        _table_sheet(wb.create_sheet(sheet), t, lang)
    for ws in wb.worksheets:
        print_setup(ws)
    wb.save(path)
    return path


def _put(ws, row: int, col: int, value: Any, number_format: str | None = None):
    """Write one cell (:func:`procurement.text.cells.put_at`): text stays text and loses what Excel cannot hold."""
    return put_at(ws, row, col, value, number_format)


def _header(ws, headers: list[str]) -> None:
    from openpyxl.styles import Alignment, Font  # lazy: openpyxl, as in write_workbook

    for i, h in enumerate(headers, start=1):
        cell = _put(ws, 1, i, h)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"


def _about_sheet(ws, about: list[tuple[str, Any]], title: str, lang: str) -> None:
    _header(ws, [_word("item", lang), _word("value", lang)])
    row = 2
    if title:
        _put(ws, row, 1, title)
        row += 1
    for key, value in about:
        fmt_ = DATETIME_FORMATS[lang] if isinstance(value, dt.datetime) else None
        _put(ws, row, 1, key)
        _put(ws, row, 2, value, fmt_)
        row += 1
    _widths(ws, {1: 40, 2: 70})


def _contents_sheet(ws, tables: list[PublishedTable], names: list[str], title: str, lang: str) -> None:
    from openpyxl.styles import Font  # lazy: openpyxl, as in write_workbook
    from openpyxl.worksheet.hyperlink import Hyperlink  # lazy: openpyxl, as in write_workbook

    _header(ws, [_word(k, lang) for k in ("sheet", "table", "notebook", "rows")])
    for r, (sheet, t) in enumerate(zip(names, tables, strict=True), start=2):
        link = _put(ws, r, 1, sheet)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{sheet}'!A1")  # a link inside the workbook
        link.font = Font(color="0563C1", underline="single")
        _put(ws, r, 2, sheet_title(t.title, lang) if t.title == t.name else t.title)
        _put(ws, r, 3, t.notebook)
        _put(ws, r, 4, len(t.frame), NUMBER_FORMATS["integer"])
    _widths(ws, {1: 32, 2: 40, 3: 22, 4: 8})


def _table_sheet(ws, t: PublishedTable, lang: str) -> None:
    from openpyxl.styles import Alignment  # lazy: openpyxl, as in write_workbook

    kinds = [t.kinds.get(str(c)) or column_kind(c, t.frame[c]) for c in t.frame.columns]
    _header(ws, [header_with_unit(str(c), k) for c, k in zip(t.frame.columns, kinds, strict=True)])
    wrap = Alignment(wrap_text=True, vertical="top")
    widths: dict[int, float] = {}
    for j, (c, kind) in enumerate(zip(t.frame.columns, kinds, strict=True), start=1):
        number_format = DATE_FORMATS[lang] if kind == "date" else NUMBER_FORMATS.get(kind)
        longest = len(header_with_unit(str(c), kind)) / 2 + 2
        for i, v in enumerate(t.frame[c].tolist(), start=2):
            value = _typed(v, kind)
            cell = _put(ws, i, j, value, number_format)
            if kind == "text" and isinstance(value, str):
                cell.alignment = wrap
                longest = max(longest, min(len(value), 60))
            else:
                longest = max(longest, 12 if kind == "date" else min(len(str(v)), 14))
        widths[j] = min(max(longest + 2, 9), 62)
    _widths(ws, widths)
    if t.frame.shape[1] and len(t.frame):
        ws.auto_filter.ref = ws.dimensions


def _typed(v: Any, kind: str) -> Any:
    if v is None or (isinstance(v, float) and v != v):
        return None
    if kind == "date" and isinstance(v, str):
        return fmt.parse_date(v) or v
    if kind in ("integer", "year") and isinstance(v, float) and v.is_integer():
        return int(v)
    return v


#: Column widths (characters) that fit across A4 portrait at 100 %; a wider sheet prints in landscape.
PORTRAIT_WIDTH = 95


def print_setup(ws) -> None:
    """Print a sheet as people expect (issue 25: 117 pages, labels and values apart): A4, landscape when it is wide,
    scaled to the page width, as many pages down as it needs, the header row repeated on every page, and a header
    row tall enough for its wrapped text."""
    from openpyxl.utils import get_column_letter  # lazy: openpyxl, as in write_workbook

    widths = [ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, ws.max_column + 1)]
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sum(widths) > PORTRAIT_WIDTH else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"
    lines = max((_lines(str(ws.cell(row=1, column=c).value or ""), w) for c, w in enumerate(widths, start=1)),
                default=1)
    ws.row_dimensions[1].height = 15 * lines


def _lines(text: str, width: float) -> int:
    """Lines a header takes when wrapped at word boundaries in a column `width` characters wide."""
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > width:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


def _widths(ws, widths: dict[int, float]) -> None:
    from openpyxl.utils import get_column_letter  # lazy: openpyxl, as in write_workbook

    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
