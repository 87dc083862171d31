"""One Excel workbook for a whole case: ``procurement export`` writes it, ``procurement import`` reads it back.

Export writes a first sheet that explains the workbook, then one sheet per input (see :mod:`.sheets`) in the
report language, with drop-down lists for ids, input cells unlocked and headers locked, and units in the headers.
Rows are written in the files' own order, so an unedited workbook reads back into the same files.

Import reads every sheet, writes the case files it describes into a staging copy of the case, and runs the one
loader (:func:`procurement.case.loader.load_case`) over it, so the workbook passes exactly the checks the CSV and
YAML files pass. Each problem is reported once, as one line naming the sheet, the row and the column. Only when
there is none are the changed files replaced, each by an atomic rename; YAML files are updated in place with
ruamel.yaml, so their comments, key order and quoting stay as they were and only edited values change.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from procurement.case.csvio import parse_number, read_csv
from procurement.case.loader import load_case
from procurement.reference import path as reference_path
from procurement.text.cells import put, put_at
from procurement.case.errors import InputError, Problem, did_you_mean, display_path
from procurement.case.outputs import output_file, output_folder, staging_folder
from procurement.case.xlsxfile import open_workbook
from procurement.casebook import cells
from procurement.casebook.sheets import (
    ABOUT,
    CASHFLOWS,
    CRITERIA,
    CSV_SHEETS,
    LISTS,
    LISTS_SHEET,
    NUMBER,
    OPTIONS,
    PROFILES,
    RUBRIC,
    SCORES,
    SHEETS,
    STAKEHOLDERS,
    Sheet,
)

MAX_INPUT_ROWS = 500  # rows below the data with drop-downs for new entries (every row below the data is unlocked)


# ---------------------------------------------------------------------------
# ruamel.yaml: round trips that keep comments and order


def _yaml():
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    y.representer.add_representer(type(None), _null)
    return y


def _null(representer, data):
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def read_yaml_rt(path: Path) -> Any:
    with open(path, encoding="utf-8") as f:
        return _yaml().load(f)


def dump_yaml_rt(data: Any) -> str:
    buf = io.StringIO()
    _yaml().dump(data, buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------
# Export


def _csv_rows(path: Path, sheet: Sheet) -> list[dict[str, Any]]:
    """The rows of a case CSV file in file order, numbers as numbers (the file's own decimal mark)."""
    if not path.exists():
        return []
    keys = sheet.keys
    t = read_csv(path, [], keys)
    out = []
    for row in t.frame.to_dict("records"):
        rec: dict[str, Any] = {}
        for col in sheet.columns:
            v = str(row.get(col.key, "") or "")
            if col.kind == NUMBER and v:
                n = parse_number(v, t.decimal)
                rec[col.key] = cells.yaml_number(n) if n is not None else v
            else:
                rec[col.key] = v
        out.append(rec)
    return out


def _criteria_rows(case) -> tuple[list[dict], list[dict]]:
    crit, rub = [], []
    for did, d in case.decisions.items():
        for c in d.criteria:
            mp = c.must_pass
            crit.append({
                "decision": did, "id": c.id, "label_nb": c.label.nb, "label_en": c.label.en,
                **_text_cells("description", c.description), "direction": c.direction, "group": c.group,
                "weight": cells.yaml_number(c.weight), "scale": c.scale.kind, "unit": c.scale.unit or "",
                "min": cells.yaml_number(c.scale.min), "max": cells.yaml_number(c.scale.max),
                "must_min": cells.yaml_number(mp.min) if mp and mp.min is not None else None,
                "must_max": cells.yaml_number(mp.max) if mp and mp.max is not None else None,
                "rule": mp.rule if mp else "", "citation": mp.citation if mp else "",
            })
            for level, text in (c.scale.rubric or {}).items():
                rub.append({"decision": did, "criterion": c.id, "level": cells.yaml_number(level),
                            **_text_cells("text", text)})
    return crit, rub


def _text_cells(key: str, text) -> dict[str, str]:
    """A text in both languages (:class:`~procurement.case.models.Bilingual`) as its two cells, ``key_nb`` and
    ``key_en``; a plain string in the file is English, so its bokmål cell is empty."""
    return {f"{key}_nb": text.nb.strip(), f"{key}_en": text.en.strip()}


def _lists(case) -> dict[str, list[str]]:
    procedures = [p["id"] for p in read_yaml_rt(reference_path("procedures.yaml"))["procedures"]]
    decisions = list(case.decisions.values())
    return {
        "decisions": list(case.decisions),
        "options": sorted({o.id for d in decisions for o in d.options}),
        "criteria": sorted({c for d in decisions for c in d.criterion_ids}),
        "groups": sorted({g.id for d in decisions for g in d.criteria_set.groups}),
        "stakeholders": case.stakeholder_ids,
        "procedures": procedures,
    }


def workbook_rows(case) -> dict[str, list[dict]]:
    """The rows of every sheet of the case workbook, read from the case's files in their order."""
    crit, rub = _criteria_rows(case)
    path = Path(case.path)
    return {
        OPTIONS.key: _csv_rows(path / OPTIONS.file, OPTIONS),
        CRITERIA.key: crit,
        RUBRIC.key: rub,
        SCORES.key: _csv_rows(path / SCORES.file, SCORES),
        CASHFLOWS.key: _csv_rows(path / CASHFLOWS.file, CASHFLOWS),
        PROFILES.key: _csv_rows(path / PROFILES.file, PROFILES),
        STAKEHOLDERS.key: [
            {"id": s.id, "label_nb": s.label.nb, "label_en": s.label.en, **_text_cells("description", s.description)}
            for s in case.meta.stakeholders
        ],
    }


def export_workbook(case_dir: str | Path, xlsx: str | Path, language: str | None = None,
                    criteria_dir: str | Path | None = None) -> Path:
    """Write the case as one workbook (the case must load); language None takes the default scenario's."""
    case = load_case(case_dir, criteria_dir)
    if language is None:
        sc = case.scenarios.get("default")
        language = sc.language if sc else "nb"
    wb = Workbook()
    about = wb.active
    assert about is not None
    _write_about(about, case, language, Path(xlsx), Path(case_dir))
    lists = _lists(case)
    _write_lists(wb, lists)
    rows = workbook_rows(case)
    fmt = {"unit": case.meta.cash_flow_unit, "year": case.base_year}
    for sheet in SHEETS:
        _write_sheet(wb.create_sheet(sheet.title(language)), sheet, rows[sheet.key], language, lists, fmt)
    wb.properties.language = language
    wb.properties.title = f"{case.id}"
    wb.properties.subject = "procurement-workbench case"
    xlsx = output_file(xlsx, "--xlsx")
    tmp = xlsx.with_name(f".{xlsx.name}.partial")
    wb.save(tmp)
    os.replace(tmp, xlsx)
    return xlsx


def _write_about(ws, case, language: str, xlsx: Path, case_dir: Path) -> None:
    title, lines = ABOUT[language]
    ws.title = title
    put(ws["A1"], title).font = Font(bold=True, size=14)
    for i, line in enumerate(lines, start=3):
        put_at(ws, i, 1, line.format(title=case.meta.title.get(language), case=case.id, xlsx=xlsx.name,
                                     case_dir=case_dir))
    ws.column_dimensions["A"].width = 140
    ws.protection.sheet = True


def _write_lists(wb, lists: dict[str, list[str]]) -> None:
    ws = wb.create_sheet(LISTS_SHEET)
    for j, key in enumerate(LISTS, start=1):
        put_at(ws, 1, j, key)
        for i, v in enumerate(lists[key], start=2):
            put_at(ws, i, j, v)
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def _list_formula(choices: str, lists: dict[str, list[str]]) -> str:
    if "," in choices:
        return f'"{choices}"'

    col = get_column_letter(LISTS.index(choices) + 1)
    return f"{LISTS_SHEET}!${col}$2:${col}${max(2, len(lists[choices]) + 1)}"


def _write_sheet(ws, sheet: Sheet, rows: list[dict], language: str, lists: dict[str, list[str]], fmt: dict) -> None:
    """One sheet of the case: a locked header row over unlocked columns. The columns themselves are unlocked (the
    column's style), so every row below the data takes input without a cell written for it: writing 500 empty
    unlocked cells per column made the export 3 times and the import 1.7 times slower (0.95 -> 0.32 s and 0.89 ->
    0.52 s for the example, measured)."""
    head_fill = PatternFill("solid", fgColor="DDDDDD")
    unlocked = Protection(locked=False)
    last = len(rows) + 1 + MAX_INPUT_ROWS
    for j, col in enumerate(sheet.columns, start=1):
        cell = put_at(ws, 1, j, col.header(language).format(**fmt))
        cell.font = Font(bold=True)
        cell.fill = head_fill
        column = ws.column_dimensions[get_column_letter(j)]
        column.width = col.width
        column.protection = unlocked
        for i, rec in enumerate(rows, start=2):
            cell = ws.cell(row=i, column=j)
            cell.protection = unlocked
            _put(cell, rec.get(col.key), col.kind)
        if col.choices:
            letter = get_column_letter(j)
            dv = DataValidation(type="list", formula1=_list_formula(col.choices, lists), allow_blank=True)
            dv.error = "Choose a value from the list" if language == "en" else "Velg en verdi fra listen"
            dv.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    ws.protection.sheet = True
    for what in ("insertRows", "deleteRows", "formatColumns", "formatCells", "sort", "autoFilter"):
        setattr(ws.protection, what, False)


def _put(cell, value: Any, kind: str) -> None:
    """A value of a case file: a number in a number column, else its text, stored as text (text.cells.put)."""
    if value is None or value == "":
        return
    put(cell, value if kind == NUMBER and not isinstance(value, str) else str(value))


# ---------------------------------------------------------------------------
# Import


@dataclass
class _Row:
    sheet: Sheet
    row: int  # sheet row number
    values: dict[str, Any]


@dataclass
class _Read:
    """What the workbook says, and every problem met while reading it."""

    language: str
    titles: dict[str, str]  # sheet key -> the sheet's name in the workbook
    rows: dict[str, list[_Row]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    bad_cells: set[tuple[str, int, str]] = field(default_factory=set)  # (sheet key, row, column key)
    broken: bool = False  # a sheet is missing or its columns were moved: nothing more can be checked
    headers: dict[str, list[str]] = field(default_factory=dict)  # sheet key -> its header row as the workbook has it

    def problem(self, xlsx: str, sheet: Sheet, row: int | None, col: str | None, message: str, hint: str = "") -> None:
        self.problems.append(Problem(xlsx, self.where(sheet, row, col), message, hint))
        if row is not None and col is not None:
            self.bad_cells.add((sheet.key, row, col))

    def where(self, sheet: Sheet, row: int | None, col: str | None) -> str:
        text = f"sheet '{self.titles.get(sheet.key, sheet.title(self.language))}'"
        if row is not None:
            text += f", row {row}"
        if col is not None:
            j = sheet.keys.index(col) + 1
            shown = self.headers.get(sheet.key, [])  # the header as the reader sees it ("lav (MNOK, faste 2024-kroner)")
            name = shown[j - 1] if j <= len(shown) and shown[j - 1] else sheet.columns[j - 1].header(self.language)
            text += f", column {get_column_letter(j)} '{name}'"
        return text


#: A formula element in a sheet's XML (``<f>…</f>``, also with a namespace prefix), not ``<fill>`` or ``<font>``.
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(xlsx: Path) -> bool:
    """Whether any sheet of the workbook holds a formula (a checked workbook: :func:`open_workbook` has read it)."""
    with zipfile.ZipFile(xlsx) as z:
        return any(_FORMULA_TAG.search(z.read(n)) for n in z.namelist()
                   if n.startswith("xl/worksheets/") and n.endswith(".xml"))


def _open(xlsx: Path):
    """The workbook's saved values, and its formulas to name a formula without a saved value: a second load only when
    the workbook holds a formula at all (an exported case has none; the load was a third of the import's time)."""
    hint = "give the workbook procurement export wrote, saved as .xlsx"
    values = open_workbook(xlsx, hint, data_only=True)
    return values, open_workbook(xlsx, hint, data_only=False) if _has_formulas(xlsx) else values


def read_workbook(xlsx: str | Path) -> _Read:
    """Every row of every sheet, cells read as text or numbers; problems for unreadable cells and moved columns."""
    xlsx = Path(xlsx)
    name = display_path(xlsx)
    values, formulas = _open(xlsx)
    language = values.properties.language if values.properties.language in ("nb", "en") else "nb"
    titles: dict[str, str] = {}
    for sheet in SHEETS:
        for lang in (language, "nb", "en"):
            if sheet.title(lang) in values.sheetnames:
                titles[sheet.key] = sheet.title(lang)
                break
    read = _Read(language, titles)
    for sheet in SHEETS:
        if sheet.key not in titles:
            read.problems.append(Problem(name, f"sheet '{sheet.title(language)}'", "is missing",
                                         "export the case again with procurement export, and keep every sheet"))
            read.broken = True
            continue
        read.rows[sheet.key] = _read_sheet(name, values[titles[sheet.key]], formulas[titles[sheet.key]], sheet, read)
    return read


def _read_sheet(name: str, ws, wf, sheet: Sheet, read: _Read) -> list[_Row]:
    n = len(sheet.columns)
    header = [cells.text_of(ws.cell(row=1, column=j).value) for j in range(1, n + 1)]
    read.headers[sheet.key] = header
    for j, col in enumerate(sheet.columns, start=1):
        h = header[j - 1].split(" (")[0].strip().lower()
        if h not in (col.en.split(" (")[0].lower(), col.nb.split(" (")[0].lower()):
            read.problems.append(Problem(name, f"sheet '{ws.title}', column {get_column_letter(j)}",
                                         f"the header is '{header[j - 1]}', expected '{col.header(read.language)}'",
                                         "do not move, insert or rename columns; export the case again"))
            read.broken = True
            return []
    out = []
    for r, row in enumerate(ws.iter_rows(min_row=2, max_col=n, values_only=True), start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        rec: dict[str, Any] = {}
        for j, col in enumerate(sheet.columns):
            formula = wf.cell(row=r, column=j + 1)
            if formula.data_type == "f" and row[j] is None:
                read.problem(name, sheet, r, col.key, f"holds a formula ({formula.value}) without a saved value",
                             "type the value, or open and save the workbook in Excel")
                rec[col.key] = ""
                continue
            rec[col.key] = _cell(name, sheet, r, col, row[j], read)
        out.append(_Row(sheet, r, rec))
    return out


def _cell(name: str, sheet: Sheet, r: int, col, value: Any, read: _Read) -> Any:
    if col.kind != NUMBER:
        return cells.text_of(value)
    n = cells.parse_number(value, read.language)
    if isinstance(n, cells.Bad):
        read.problem(name, sheet, r, col.key, n.message, n.hint)
        return cells.text_of(value)
    return n


# --- files from the rows


def _file_head(path: Path) -> tuple[list[str], list[str], str]:
    """The leading comment lines, the header columns and the separator of an existing CSV file."""
    if not path.exists():
        return [], [], ","
    comments: list[str] = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if not line.strip():
            continue
        if line.lstrip().startswith("#"):
            comments.append(line)
            continue
        sep = ";" if line.count(";") > line.count(",") else ","
        return comments, [h.strip().lower() for h in next(csv.reader([line], delimiter=sep))], sep
    return comments, [], ","


def _csv_text(path: Path, sheet: Sheet, rows: list[_Row]) -> tuple[str, dict[int, int]]:
    """The CSV file for a sheet and a map of file line -> sheet row.

    Keeps the existing file's leading comments, its columns and their order (a column the file lacks is added
    only when the sheet fills it) and its separator (with ';' numbers take a decimal comma).
    """
    comments, header, sep = _file_head(path)
    header = [h for h in header if h in sheet.keys]
    header += [k for k in sheet.keys if k not in header and any(r.values.get(k) not in (None, "") for r in rows)]
    if not path.exists():
        header = sheet.keys
    originals = _original_rows(path, sheet, header)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator="\n")
    for c in comments:
        buf.write(c + "\n")
    w.writerow(header)
    line = len(comments) + 1
    lines: dict[int, int] = {}
    for row in rows:
        before = buf.tell()
        same = originals.get(_row_key(sheet, header, row.values))
        if same:
            buf.write(same.pop(0) + "\n")
        else:
            w.writerow([_csv_cell(row.values[k], sep) for k in header])
        first = line + 1
        line += buf.getvalue()[before:].count("\n")
        for n in range(first, line + 1):
            lines[n] = row.row
    return buf.getvalue(), lines


def _row_key(sheet: Sheet, header: list[str], values: dict[str, Any]) -> tuple:
    kinds = {c.key: c.kind for c in sheet.columns}
    out: list[Any] = []
    for k in header:
        v = values.get(k)
        if kinds[k] == NUMBER:
            out.append(None if v in (None, "") else (float(v) if isinstance(v, int | float) else str(v)))
        else:
            out.append("" if v is None else str(v))
    return tuple(out)


def _original_rows(path: Path, sheet: Sheet, header: list[str]) -> dict[tuple, list[str]]:
    """The file's records as written, by their values: a row the workbook left unchanged is written back byte for
    byte (``24.0`` stays ``24.0``, quotes and a decimal comma stay as they were)."""
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8-sig")
    lines = text.split("\n")
    _, file_header, sep = _file_head(path)
    if file_header != header:
        return {}
    kinds = {c.key: c.kind for c in sheet.columns}
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    out: dict[tuple, list[str]] = {}
    first, seen_header = 1, False
    try:
        for fields in reader:
            raw = "\n".join(lines[first - 1:reader.line_num])
            first = reader.line_num + 1
            if not fields or all(not f.strip() for f in fields) or fields[0].lstrip().startswith("#"):
                continue
            if not seen_header:
                seen_header = True
                continue
            if len(fields) != len(header):
                continue
            values: dict[str, Any] = {}
            for k, f in zip(header, fields, strict=True):
                f = f.strip()
                number = parse_number(f, "," if sep == ";" else ".") if kinds[k] == NUMBER and f else None
                values[k] = number if number is not None else f
            out.setdefault(_row_key(sheet, header, values), []).append(raw)
    except csv.Error:
        return {}
    return out


def _csv_cell(v: Any, sep: str) -> str:
    if isinstance(v, float):
        text = cells.number_text(v)
        return text.replace(".", ",") if sep == ";" else text
    return "" if v is None else str(v)


@dataclass
class _Stage:
    """A copy of the case with the workbook's files written into it, and where each line came from."""

    folder: Path
    criteria_dir: Path
    targets: dict[Path, Path] = field(default_factory=dict)  # staged file -> the real file it replaces
    lines: dict[Path, tuple[Sheet, dict[int, int]]] = field(default_factory=dict)
    criteria_rows: dict[tuple[str, str], int] = field(default_factory=dict)  # (decision, criterion) -> sheet row
    stakeholder_rows: dict[str, int] = field(default_factory=dict)


def _stage(case, read: _Read, tmp: Path) -> _Stage:
    case_dir = Path(case.path)
    folder = tmp / "case"
    shutil.copytree(case_dir, folder, ignore=shutil.ignore_patterns("reports", ".*"))
    crit_dir = tmp / "criteria"
    crit_dir.mkdir()
    st = _Stage(folder, crit_dir)
    for sheet in CSV_SHEETS:
        if not (case_dir / sheet.file).exists() and not read.rows.get(sheet.key):
            continue  # an optional file the case does not have, and the sheet left empty: nothing to write
        text, lines = _csv_text(case_dir / sheet.file, sheet, read.rows.get(sheet.key, []))
        staged = folder / sheet.file
        staged.write_text(text, encoding="utf-8")
        st.targets[staged] = case_dir / sheet.file
        st.lines[staged] = (sheet, lines)
    for did, d in case.decisions.items():
        staged = crit_dir / d.criteria_file.name
        doc = read_yaml_rt(d.criteria_file)
        rows = [r for r in read.rows.get(CRITERIA.key, []) if r.values["decision"] == did]
        rubric = [r for r in read.rows.get(RUBRIC.key, []) if r.values["decision"] == did]
        _update_criteria(doc, rows, rubric)
        st.criteria_rows.update({(did, r.values["id"]): r.row for r in rows})
        staged.write_text(dump_yaml_rt(doc), encoding="utf-8")
        st.targets[staged] = d.criteria_file
    for path in sorted(case.criteria_dir.glob("*.yaml")):  # other decisions' sets stay readable
        if not (crit_dir / path.name).exists():
            shutil.copy(path, crit_dir / path.name)
    doc = read_yaml_rt(case_dir / "case.yaml")
    stake = read.rows.get(STAKEHOLDERS.key, [])
    _update_records(doc.setdefault("stakeholders", []), stake, _stakeholder_fields)
    st.stakeholder_rows = {r.values["id"]: r.row for r in stake}
    (folder / "case.yaml").write_text(dump_yaml_rt(doc), encoding="utf-8")
    st.targets[folder / "case.yaml"] = case_dir / "case.yaml"
    return st


# --- YAML updates that touch only what changed


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, int | float) and not isinstance(old, bool) and isinstance(new, int | float):
        return float(old) == float(new)
    if isinstance(old, str) and isinstance(new, str):
        return " ".join(old.split()) == " ".join(new.split())
    return bool(old == new)


def _set(m, key: str, value: Any) -> None:
    """Set m[key] only if it differs (so comments and quoting of unchanged values stay); '' or None removes it."""
    if value is None or value == "":
        if key in m:
            del m[key]
        return
    if isinstance(value, float):
        value = cells.yaml_number(value)
    if key not in m or not _same(m[key], value):
        m[key] = value


def _update_records(seq, rows: list[_Row], fields) -> None:
    """Update a YAML list of records with ids in place: edit the existing, drop the removed, append the new."""
    wanted = {r.values["id"]: r for r in rows if r.values.get("id")}
    for i in reversed(range(len(seq))):
        if seq[i].get("id") not in wanted:
            del seq[i]
    have = {m.get("id"): m for m in seq}
    for rid, row in wanted.items():
        m = have.get(rid)
        if m is None:
            m = CommentedMap()
            m["id"] = rid
            seq.append(m)
        fields(m, row.values)


def _label(m, values: dict) -> None:
    if not isinstance(m.get("label"), dict):
        m["label"] = CommentedMap()
        m["label"].fa.set_flow_style()
    _set(m["label"], "nb", values["label_nb"])
    _set(m["label"], "en", values["label_en"])


def _flat(value: Any) -> str:
    return " ".join(str(value or "").split())


def _pair(value: Any) -> tuple[str, str]:
    """A text of a YAML file as (bokmål, English), white space runs as one space: a plain string is English."""
    nb, en = (value.get("nb"), value.get("en")) if isinstance(value, dict) else (None, value)
    return _flat(nb), _flat(en)


def _bilingual(nb: str, en: str) -> Any:
    """A text for a YAML file: a plain string when only English is given (as the file had it), else {nb:, en:}."""
    if not nb:
        return en
    m = CommentedMap()
    m["nb"] = nb
    if en:
        m["en"] = en
    return m


def _set_text(m, key: str, nb: Any, en: Any) -> None:
    """Set a text in both languages: a mapping in the file keeps its form and edits each language in place, a plain
    string stays one while no bokmål is given; both empty removes the key."""
    nb, en = str(nb or "").strip(), str(en or "").strip()
    old = m.get(key)
    if isinstance(old, dict) and (nb or en):
        _set(old, "nb", nb)
        _set(old, "en", en)
    elif nb:
        m[key] = _bilingual(nb, en)
    else:
        _set(m, key, en)


def _stakeholder_fields(m, values: dict) -> None:
    _label(m, values)
    _set_text(m, "description", values["description_nb"], values["description_en"])


def _rubric(scale, rubric: list[_Row]) -> None:
    """Update a scale's rubric: levels the sheet left as they were keep their text as written."""
    levels = {float(r.values["level"]): (_flat(r.values["text_nb"]), _flat(r.values["text_en"])) for r in rubric
              if isinstance(r.values["level"], float)}
    written = {float(k): v for k, v in (scale.get("rubric") or {}).items()}
    if levels == {k: _pair(v) for k, v in written.items()}:
        return
    if not levels:
        if "rubric" in scale:
            del scale["rubric"]
        return
    new = CommentedMap()
    for k in sorted(levels):
        same = k in written and _pair(written[k]) == levels[k]
        new[cells.yaml_number(k)] = written[k] if same else _bilingual(*levels[k])
    scale["rubric"] = new


def _criterion_fields(m, values: dict, rubric: list[_Row]) -> None:
    _label(m, values)
    _set_text(m, "description", values["description_nb"], values["description_en"])
    for key in ("direction", "group", "weight"):
        _set(m, key, values[key])
    scale = m.setdefault("scale", CommentedMap())
    _set(scale, "kind", values["scale"])
    _set(scale, "unit", values["unit"])
    _set(scale, "min", values["min"])
    _set(scale, "max", values["max"])
    _rubric(scale, rubric)
    _must_pass(m, values)


def _must_pass(m, values: dict) -> None:
    if not any(values[k] not in (None, "") for k in ("must_min", "must_max", "rule", "citation")):
        if "must_pass" in m:
            del m["must_pass"]
        return
    mp = m.setdefault("must_pass", CommentedMap())
    _set(mp, "min", values["must_min"])
    _set(mp, "max", values["must_max"])
    _set(mp, "rule", values["rule"])
    _set(mp, "citation", values["citation"])


def _update_criteria(doc, rows: list[_Row], rubric: list[_Row]) -> None:
    def fields(m, values):
        _criterion_fields(m, values, [r for r in rubric if r.values["criterion"] == values["id"]])

    _update_records(doc["criteria"], rows, fields)


# --- problems in the staged files, told as sheet, row and column

_ROW_RE = re.compile(r"^row (\d+)(?:, columns? '([^']*)')?")
_CRIT_RE = re.compile(r"^criterion '([^']*)'(?:, key '([^']*)')?")
_STAKE_RE = re.compile(r"^stakeholder '([^']*)'(?:, key '([^']*)')?")
_YAML_KEYS = {"label.nb": "label_nb", "label.en": "label_en", "scale.kind": "scale", "scale.unit": "unit",
              "scale.min": "min", "scale.max": "max", "must_pass.min": "must_min", "must_pass.max": "must_max",
              "must_pass.rule": "rule", "must_pass.citation": "citation", "must_pass": "rule", "scale": "scale",
              "direction": "direction", "group": "group", "weight": "weight", "id": "id", "description": "description_en",
              "description.nb": "description_nb", "description.en": "description_en"}


def _in_sheet_words(p: Problem, st: _Stage, read: _Read, case_dir: Path) -> Problem:
    """Files the loader names in its messages ("fix options.csv first") as the sheets they come from; a problem in
    a file the workbook does not hold (a scenario) names the case's own file, not the staging copy."""
    names = {sheet.file: read.where(sheet, None, None) for sheet in CSV_SHEETS}
    names["case.yaml"] = f"{read.where(STAKEHOLDERS, None, None)} (case.yaml)"

    def words(text: str) -> str:
        for file, sheet in names.items():
            text = re.sub(rf"(?<![\w/.-]){re.escape(file)}\b", sheet, text)
        return text

    file = p.file
    staged = display_path(st.folder)
    if file.startswith(staged):
        file = display_path(case_dir) + file[len(staged):]
    return Problem(file, p.where, words(p.message), words(p.hint))


def _translate(p: Problem, st: _Stage, read: _Read, xlsx: str) -> Problem | None:
    """The loader's problem about a staged file as the workbook's sheet, row and column (None: reported already)."""
    staged = {display_path(k): k for k in st.targets}
    path = staged.get(p.file)
    if path is None:
        return p
    if path in st.lines:
        sheet, lines = st.lines[path]
        m = _ROW_RE.match(p.where)
        if m and int(m.group(1)) in lines:
            row = lines[int(m.group(1))]
            col = (m.group(2) or "").split(",")[0] or None
            if "out of order" in p.message:  # low <= likely <= high: the most likely value is the one to look at
                col = "likely"
            col = col if col in sheet.keys else None
            if col is not None and (sheet.key, row, col) in read.bad_cells:
                return None
            return Problem(xlsx, read.where(sheet, row, col), p.message, p.hint)
        return Problem(xlsx, f"{read.where(sheet, None, None)}, {p.where}" if p.where else read.where(sheet, None, None),
                       p.message, p.hint)
    return _translate_yaml(p, path, st, read, xlsx)


def _translate_yaml(p: Problem, path: Path, st: _Stage, read: _Read, xlsx: str) -> Problem:
    m = _CRIT_RE.match(p.where)
    if m and path.parent == st.criteria_dir:
        did = next((d for (d, c) in st.criteria_rows if c == m.group(1) and f"{d}.yaml" == path.name), None)
        row = st.criteria_rows.get((did or "", m.group(1)))
        key = m.group(2) or ""
        sheet = RUBRIC if key.startswith("scale.rubric") or "rubric" in p.message else CRITERIA
        col = None if sheet is RUBRIC else _YAML_KEYS.get(key)
        if key == "scale" and p.message.startswith("min ("):  # min (x) must be below max (y)
            col = "min"
        if sheet is RUBRIC:
            return Problem(xlsx, f"{read.where(RUBRIC, None, None)}, criterion '{m.group(1)}'", p.message, p.hint)
        return Problem(xlsx, read.where(CRITERIA, row, col), p.message, p.hint)
    m = _STAKE_RE.match(p.where)
    if m and path.name == "case.yaml":
        return Problem(xlsx, read.where(STAKEHOLDERS, st.stakeholder_rows.get(m.group(1)), _YAML_KEYS.get(m.group(2) or "")),
                       p.message, p.hint)
    sheet = CRITERIA if path.parent == st.criteria_dir else STAKEHOLDERS
    return Problem(xlsx, f"{read.where(sheet, None, None)}, {p.where}", p.message, p.hint)


# --- the import


def import_workbook(xlsx: str | Path, case_dir: str | Path, criteria_dir: str | Path | None = None) -> list[Path]:
    """Read the workbook into the case folder; return the files changed. Raises InputError (nothing written)."""
    xlsx = Path(xlsx)
    name = display_path(xlsx)
    case = load_case(case_dir, criteria_dir)
    read = read_workbook(xlsx)
    if read.broken:
        raise InputError(read.problems)
    _reference_problems(case, read, name)
    if any(p.message.startswith(_REFUSED) for p in read.problems):
        raise InputError(_unique(read.problems))
    output_folder(case_dir, "CASE", "make the case folder writable: import writes its files there")
    with staging_folder(case_dir, ".import-") as tmp:
        st = _stage(case, read, Path(tmp))
        problems = list(read.problems)
        try:
            load_case(st.folder, st.criteria_dir)
        except InputError as e:
            problems.extend(_in_sheet_words(q, st, read, Path(case_dir))
                            for q in (_translate(p, st, read, name) for p in e.problems) if q is not None)
        if problems:
            raise InputError(_unique(_without_follow_ons(problems, read)))
        return _replace(st)


#: The start of a problem that stops an import before anything is staged: a row that would be dropped or would
#: overwrite another (issue 26: a duplicate criterion row's weight replaced the first's, a misspelt decision's row
#: vanished).
_REFUSED = "refused: "


def _twice(rows: list[_Row], key, sheet: Sheet, col: str, what, read: _Read, xlsx: str) -> None:
    seen: dict[Any, int] = {}
    for r in rows:
        k = key(r.values)
        if k in seen:
            read.problem(xlsx, sheet, r.row, col, f"{_REFUSED}{what(r.values)} is given twice (rows {seen[k]} and "
                         f"{r.row}); a second row would overwrite the first", "keep one row and delete the other")
        else:
            seen[k] = r.row


def _reference_problems(case, read: _Read, xlsx: str) -> None:
    """Rows an import would drop or let overwrite another, each one line: a criterion row of an unknown decision,
    a criterion or rubric level twice, a rubric row of an unknown criterion, a stakeholder without id or twice."""
    crit = read.rows.get(CRITERIA.key, [])
    decisions = list(case.decisions)
    for r in crit:
        if r.values["decision"] not in case.decisions:
            read.problem(xlsx, CRITERIA, r.row, "decision", f"{_REFUSED}unknown decision '{r.values['decision']}'",
                         did_you_mean(str(r.values["decision"]), decisions))
    _twice(crit, lambda v: (v["decision"], v["id"]), CRITERIA, "id",
           lambda v: f"criterion '{v['id']}' of decision '{v['decision']}'", read, xlsx)
    known = {(r.values["decision"], r.values["id"]) for r in crit}
    rubric = read.rows.get(RUBRIC.key, [])
    for r in rubric:
        if (r.values["decision"], r.values["criterion"]) not in known:
            ids = [i for d, i in known if d == r.values["decision"]]
            read.problem(xlsx, RUBRIC, r.row, "criterion", f"{_REFUSED}no criterion '{r.values['criterion']}' of "
                         f"decision '{r.values['decision']}' on the criteria sheet", did_you_mean(
                             str(r.values["criterion"]), ids))
    _twice(rubric, lambda v: (v["decision"], v["criterion"], v["level"]), RUBRIC, "level",
           lambda v: f"level {cells.number_text(v['level'])} of criterion '{v['criterion']}'", read, xlsx)
    stake = read.rows.get(STAKEHOLDERS.key, [])
    for r in stake:
        if not str(r.values.get("id") or "").strip():
            read.problem(xlsx, STAKEHOLDERS, r.row, "id", f"{_REFUSED}a stakeholder row without id",
                         "give the group an id (a-z, æøå, 0-9, -), or delete the row")
    _twice([r for r in stake if r.values.get("id")], lambda v: v["id"], STAKEHOLDERS, "id",
           lambda v: f"stakeholder '{v['id']}'", read, xlsx)


def _without_follow_ons(problems: list[Problem], read: _Read) -> list[Problem]:
    """Drop "no score for criteria ..." for an option whose row with a misspelt criterion is reported already."""
    rows = {r.row: r.values for r in read.rows.get(SCORES.key, [])}
    prefix = read.where(SCORES, None, None) + ", row "
    misspelt = set()
    for p in problems:
        if p.where.startswith(prefix) and p.message.startswith("unknown criterion"):
            values = rows.get(int(p.where[len(prefix):].split(",")[0]), {})
            misspelt.add(f"decision '{values.get('decision')}', option '{values.get('option')}'")
    return [p for p in problems
            if not (p.message.startswith("no score for criteria") and any(p.where.endswith(m) for m in misspelt))]


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for p in problems:
        if str(p) not in seen:
            seen.add(str(p))
            out.append(p)
    return out


def _replace(st: _Stage) -> list[Path]:
    """Put each staged file whose text differs in place: written beside its target, then renamed over it."""
    changed = []
    for staged, target in st.targets.items():
        new = staged.read_text(encoding="utf-8")
        if target.exists() and target.read_text(encoding="utf-8-sig") == new:
            continue
        if not new.strip() and not target.exists():
            continue
        tmp = target.with_name(f".{target.name}.import")
        tmp.write_text(new, encoding="utf-8")
        changed.append((tmp, target))
    for tmp, target in changed:
        os.replace(tmp, target)
    return [t for _, t in changed]
