"""Weight forms for stakeholders: ``procurement forms`` writes them, ``procurement collect`` reads them back.

A form is a small workbook for one stakeholder group (or one respondent from a list, e.g. a municipality) and
one decision: the criteria with their descriptions, the worst-to-best range of each scale and its rubric, and
one input cell per criterion. What the cell takes depends on the form's kind:

* ``points``: distribute 100 points over the criteria (the sum must be 100);
* ``rank``: rank the criteria, 1 = most important (whole numbers 1 to n; turned into rank-order-centroid
  weights by the loader, as a rank column in ``profiles.csv`` is);
* ``swing``: think of every criterion at its worst; the swing to best that matters most gets 100, every other
  swing 0-100 relative to it (at least one 100).

A hidden sheet records the case, the decision, the group, the kind and the criteria the form was made for.
Collecting checks each returned form (kind-specific sums and ranges, missing criteria, a form for another case or
decision or for criteria changed since, a form returned twice, respondent and date filled in), reports per form,
and merges the valid ones into ``profiles.csv`` (one row per criterion where the group's rows were, the respondent
and date in ``note`` or, in a file without that column, in a leading ``# collected`` comment line),
after running the case loader over the result. Nothing is written when a form is broken, unless
``skip_invalid``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from ruamel.yaml.comments import CommentedMap

from procurement.case.csvio import merged_in_place, read_csv, with_comment_lines
from procurement.case.loader import load_case
from procurement.case.ids import id_problem
from procurement.case.models import DEFAULT_LANGUAGE
from procurement.casebook.sheets import PROFILES
from procurement.casebook.workbook import _csv_rows, _csv_text, _file_head, _Row, dump_yaml_rt, read_yaml_rt
from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path
from procurement.case.filenames import distinct_files, file_in
from procurement.case.outputs import output_folder, staging_folder
from procurement.case.xlsxfile import open_workbook
from procurement.casebook import cells
from procurement.text.cells import put, put_at, put_formula, put_row
from procurement.text.labels import LANGUAGES, label
from procurement.text.sentences import sentence

KINDS = ("points", "rank", "swing")
META_SHEET = "meta"
FIRST_ROW = 9  # the first criterion's row
VERSION = 1


class _Words:
    """The form's words in one language (``procurement.text.words_forms``, keys ``form.*``): ``w["title"]``."""

    def __init__(self, language: str):
        self.language = language

    def __getitem__(self, key: str) -> str:
        return label(f"form.{key}", self.language)


WORDS = {lang: _Words(lang) for lang in LANGUAGES}
FORM_SHEET = {lang: WORDS[lang]["sheet"] for lang in LANGUAGES}


@dataclass(frozen=True)
class Respondent:
    """Who fills in a form: a stakeholder group of the case, or a respondent from a list (becomes a group)."""

    id: str
    label: str
    label_en: str = ""


# ---------------------------------------------------------------------------
# Writing forms


def respondents_from_csv(path: str | Path) -> list[Respondent]:
    """Respondents from a CSV file: columns ``id,name`` (optionally ``name_en``), or the case's
    ``municipalities.csv`` (``kommunenummer,name,...``: the id becomes ``<name>-<kommunenummer>``, e.g. bergen-4601)."""
    t = read_csv(path, ["name"], ["id", "name_en", "kommunenummer", "county", "population", "cluster",
                                  "in_national_solution", "source", "note", "population_date",
                                  "helseplattformen_status", "helseplattformen_go_live", "helseplattformen_source",
                                  "written_standard"])
    problems = ProblemList()
    if "id" not in t.frame.columns or not any(t.frame["id"]):
        if not any(t.frame["kommunenummer"]):
            raise InputError(Problem(display_path(t.path), "header", "no column 'id' or 'kommunenummer'",
                                     "give each respondent an id (lower-case letters, digits and '-')"))
        t.frame["id"] = [f"{_slug(n)}-{k}" if k else "" for n, k in zip(t.frame["name"], t.frame["kommunenummer"],
                                                                         strict=True)]
    out = []
    for i, row in enumerate(t.frame.to_dict("records")):
        if (wrong := id_problem(row["id"])) is not None:
            problems.add(t.path, f"{t.where(i)}, column 'id'", f"'{row['id']}' is not a valid id: {wrong[0]}", wrong[1])
        elif not row["name"]:
            problems.add(t.path, f"{t.where(i)}, column 'name'", "is empty", "give the respondent's name")
        else:
            out.append(Respondent(row["id"], row["name"], row["name_en"] or row["name"]))
    problems.raise_if_any()
    return out


def _slug(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "á": "a", "é": "e", "š": "s", "č": "c", "đ": "d", "ŋ": "n",
                           "ŧ": "t", "ž": "z"})
    return re.sub(r"[^a-z0-9]+", "-", text.lower().translate(table)).strip("-")


def default_kinds(case, decision_id: str) -> dict[str, str]:
    """``rank`` for each group whose weights profiles.csv gives as ranks today (the others get the default kind)."""
    rows = _csv_rows(Path(case.path) / "profiles.csv", PROFILES)
    return {r["group"]: "rank" for r in rows if r["decision"] == decision_id and r["rank"] not in (None, "")}


def write_forms(case, decision_id: str, out: str | Path, respondents: list[Respondent] | None = None,
                kinds: dict[str, str] | None = None, kind: str = "points", language: str = DEFAULT_LANGUAGE,
                today: dt.date | None = None) -> list[Path]:
    """One form workbook per respondent (default: every stakeholder group of the case); return the files."""
    decision = case.decision(decision_id)
    given = respondents is not None
    if respondents is None:
        respondents = [Respondent(s.id, s.label.get(language), s.label.en) for s in case.meta.stakeholders]
    if not respondents:
        raise InputError(Problem(display_path(Path(case.path) / "case.yaml"), "key 'stakeholders'",
                                 "no stakeholder groups to write forms for",
                                 "list the groups in case.yaml, or give --respondents FILE.csv"))
    kinds = kinds or {}
    bad = [k for k in [kind, *kinds.values()] if k not in KINDS]
    if bad:
        raise InputError(Problem("--method", "", f"unknown kind of form '{bad[0]}'", did_you_mean(bad[0], KINDS)))
    out = Path(out)
    source = "--respondents" if given else Path(case.path) / "case.yaml"
    paths = [file_in(out, f"{decision_id}-{r.id}", ".xlsx", source, f"group '{r.id}'") for r in respondents]
    distinct_files([f"{decision_id}-{r.id}" for r in respondents], source, "groups")
    output_folder(out, "--out")
    for r, path in zip(respondents, paths, strict=True):
        _write_form(path, case, decision, r, kinds.get(r.id, kind), language, today or dt.date.today())
    return paths


def _write_form(path: Path, case, decision, r: Respondent, kind: str, language: str, today: dt.date) -> None:
    w = WORDS[language]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = FORM_SHEET[language]
    put(ws["A1"], w["title"].format(decision=decision.title.get(language))).font = Font(bold=True, size=14)
    rows = [(w["case"], case.meta.title.get(language)), (w["group"], r.label), (w["respondent"], None), (w["date"], None)]
    for i, (k, v) in enumerate(rows, start=2):
        put_at(ws, i, 1, k).font = Font(bold=True)
        cell = put_at(ws, i, 2, v)
        if v is None:
            cell.protection = Protection(locked=False)
            cell.fill = PatternFill("solid", fgColor="FFFFCC")
    put(ws["A6"], w[f"how.{kind}"])
    put(ws["A7"], w["how.all"])
    heads = [w["id"], w["criterion"], w[_description_key(decision, language)], w["range"], w[kind]]
    for j, h in enumerate(heads, start=1):
        c = put_at(ws, FIRST_ROW - 1, j, h)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDDDDD")
    n = len(decision.criteria)
    for i, c in enumerate(decision.criteria):
        row = FIRST_ROW + i
        values = [c.id, c.label.get(language), _description(c.description, language), _range_text(c, language)]
        for j, v in enumerate(values, start=1):
            cell = put_at(ws, row, j, v)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        inp = ws.cell(row=row, column=5)
        inp.protection = Protection(locked=False)
        inp.fill = PatternFill("solid", fgColor="FFFFCC")
    last = FIRST_ROW + n - 1
    if kind == "points":
        put_at(ws, last + 1, 4, w["sum"]).font = Font(bold=True)
        put_formula(ws.cell(row=last + 1, column=5), f"=SUM(E{FIRST_ROW}:E{last})")  # the form's one formula
    dv = (DataValidation(type="whole", operator="between", formula1="1", formula2=str(n)) if kind == "rank"
          else DataValidation(type="decimal", operator="between", formula1="0", formula2="100"))
    dv.add(f"E{FIRST_ROW}:E{last}")
    ws.add_data_validation(dv)
    for col, width in zip("ABCDE", (22, 30, 70, 50, 18), strict=True):
        ws.column_dimensions[col].width = width
    ws.protection.sheet = True
    _write_rubric(wb, decision, w, language)
    _write_meta(wb, case, decision, r, kind, language, today)
    tmp = path.with_name(f".{path.name}.partial")
    wb.save(tmp)
    os.replace(tmp, path)


def _description(text, language: str) -> str:
    """A description or rubric text (:class:`~procurement.case.models.Bilingual`) in the form's language, or in the
    other language when the case gives it only there; runs of white space (folded YAML) become one space."""
    return " ".join(text.get(language).split()) if text else ""


def _only_other(texts, language: str) -> bool:
    """True when some text is given but not in `language` (the criteria files once gave descriptions in English
    only): the form's header then says which language the column is in."""
    return any(t and not t.has(language) for t in texts)


def _description_key(decision, language: str) -> str:
    """``description``, or ``description_en`` for a bokmål form with a description given in English only."""
    english = _only_other((c.description for c in decision.criteria), language)
    return "description_en" if english and language != "en" else "description"


def _range_text(c, language: str) -> str:
    w = WORDS[language]
    s = c.scale
    better = w["higher"] if c.direction == "max" else w["lower"]
    if s.rubric:
        lo, hi = min(s.rubric), max(s.rubric)
        worst, best = (lo, hi) if c.direction == "max" else (hi, lo)
        return (f"{cells.number_text(worst)}: {_description(s.rubric[worst], language)} → "
                f"{cells.number_text(best)}: {_description(s.rubric[best], language)} ({better})")
    worst, best = (s.min, s.max) if c.direction == "max" else (s.max, s.min)
    unit = f" {s.unit}" if s.unit else ""
    return f"{cells.number_text(worst)}{unit} → {cells.number_text(best)}{unit} ({better})"


def _write_rubric(wb, decision, w: _Words, language: str) -> None:
    ws = wb.create_sheet(w["rubric"])
    texts = [t for c in decision.criteria for t in (c.scale.rubric or {}).values()]
    english = language != "en" and _only_other(texts, language)
    put_row(ws, [w["id"], w["criterion"], w["level"], w["description_en" if english else "description"]])
    for c in decision.criteria:
        for level, text in (c.scale.rubric or {}).items():
            put_row(ws, [c.id, c.label.get(language), cells.yaml_number(level), _description(text, language)])
    ws.column_dimensions["D"].width = 90
    ws.protection.sheet = True


def _write_meta(wb, case, decision, r: Respondent, kind: str, language: str, today: dt.date) -> None:
    ws = wb.create_sheet(META_SHEET)
    meta = {
        "kind": "procurement-weight-form", "version": VERSION, "case": case.id, "decision": decision.id,
        "group": r.id, "group_label": r.label, "group_label_en": r.label_en or r.label, "method": kind,
        "language": language, "criteria": ",".join(decision.criterion_ids), "first_row": FIRST_ROW,
        "created": today.isoformat(),
    }
    for k, v in meta.items():
        put_row(ws, [k, v])
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


# ---------------------------------------------------------------------------
# Reading returned forms


@dataclass
class Form:
    """One returned form, read and checked."""

    path: Path
    meta: dict[str, Any] = field(default_factory=dict)
    values: dict[str, float] = field(default_factory=dict)  # criterion -> points, rank or swing weight
    respondent: str = ""
    date: dt.date | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def group(self) -> str:
        return str(self.meta.get("group", ""))

    @property
    def decision(self) -> str:
        return str(self.meta.get("decision", ""))

    @property
    def method(self) -> str:
        return str(self.meta.get("method", ""))

    def add(self, where: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(display_path(self.path), where, message, hint))

    def summary(self, language: str = DEFAULT_LANGUAGE) -> str:
        """One line saying the form was read: the decision, the group, how many criteria, the kind (and sum), who
        and when, in `language`."""
        total = sentence("forms.sum", language, sum=round(sum(self.values.values()), 6)) if self.method == "points" else ""
        when = self.date.strftime("%d.%m.%Y") if self.date else ""
        return sentence("forms.ok", language, path=display_path(self.path), decision=self.decision, group=self.group,
                        n=len(self.values), method=WORDS[language][f"method.{self.method}"], total=total,
                        respondent=self.respondent, date=when)


def read_form(path: str | Path, case, decision_id: str | None = None) -> Form:
    """Read one returned form and check it against the case; its problems are in ``Form.problems``."""
    form = Form(Path(path))
    try:
        wb = open_workbook(form.path, "return the .xlsx file procurement forms wrote")
    except InputError as e:
        form.problems.extend(e.problems)
        return form
    if META_SHEET not in wb.sheetnames:
        form.add("", "is not a weight form (no hidden 'meta' sheet)", "return the file procurement forms wrote")
        return form
    form.meta = {str(r[0]): r[1] for r in wb[META_SHEET].iter_rows(max_col=2, values_only=True) if r and r[0] is not None}
    if not _check_meta(form, case, decision_id):
        return form
    language = str(form.meta.get("language", "nb"))
    language = language if language in LANGUAGES else "en"
    sheet = FORM_SHEET[language]
    if sheet not in wb.sheetnames:
        form.add(f"sheet '{sheet}'", "is missing", "return the file procurement forms wrote, with every sheet")
        return form
    _read_answers(form, wb[sheet], case.decision(form.decision), language)
    return form


def _check_meta(form: Form, case, decision_id: str | None) -> bool:
    m = form.meta
    if m.get("kind") != "procurement-weight-form":
        form.add("", "is not a weight form", "return the file procurement forms wrote")
        return False
    if m.get("case") != case.id:
        form.add("", f"is a form for case '{m.get('case')}', not '{case.id}'", "collect it into its own case")
        return False
    if decision_id is not None and form.decision != decision_id:
        form.add("", f"is a form for decision '{form.decision}', not '{decision_id}'",
                 f"collect it with --decision {form.decision}, or send the group the form for {decision_id}")
        return False
    if form.decision not in case.decisions:
        form.add("", f"is a form for decision '{form.decision}', which the case no longer has",
                 did_you_mean(form.decision, case.decisions))
        return False
    if (wrong := id_problem(form.group)) is not None:  # becomes a stakeholder id of case.yaml and a form's file name
        form.add(f"sheet '{META_SHEET}', key 'group'", f"'{form.group}' is not a group id: {wrong[0]}",
                 "return the file procurement forms wrote, without editing its hidden sheet")
        return False
    if not _labels_are_text(form) or _first_row(form) is None:
        return False
    if form.method not in KINDS:
        form.add("", f"unknown kind of form '{form.method}'", f"one of {', '.join(KINDS)}")
        return False
    now = case.decision(form.decision).criterion_ids
    then = str(m.get("criteria", "")).split(",")
    if sorted(now) != sorted(then):
        gone = [c for c in then if c not in now]
        new = [c for c in now if c not in then]
        form.add("", "was made for other criteria than the decision has now"
                 + (f" (no longer: {', '.join(gone)})" if gone else "") + (f" (new: {', '.join(new)})" if new else ""),
                 "write a new form with procurement forms and send it again")
        return False
    return True


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
#: most characters of a group label a returned form may bring into case.yaml
MAX_LABEL = 200


def _labels_are_text(form: Form) -> bool:
    """The group labels of the hidden sheet, which collect writes into case.yaml for a new group: one line of text.

    Text that starts like a formula is fine (it is stored as text in case.yaml and written as text in the next
    forms); a number or a date, control characters or an overlong label are problems naming the key."""
    for key in ("group_label", "group_label_en"):
        value = form.meta.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or _CONTROL.search(value) or len(value) > MAX_LABEL:
            form.add(f"sheet '{META_SHEET}', key '{key}'", "is not one line of text of at most "
                     f"{MAX_LABEL} characters", "return the file procurement forms wrote, without editing its hidden sheet")
            return False
    return True


#: Lowest row a form's first criterion may start on (forms have always been written with FIRST_ROW).
MAX_FIRST_ROW = 100


def _first_row(form: Form) -> int | None:
    """The row of the form's first criterion from its hidden sheet: a whole number from 1 to MAX_FIRST_ROW."""
    text = cells.text_of(form.meta.get("first_row", FIRST_ROW))
    row = int(text) if text.isascii() and text.isdigit() and len(text) <= 3 else 0
    if not 1 <= row <= MAX_FIRST_ROW:
        form.add(f"sheet '{META_SHEET}', key 'first_row'", f"'{text}' is not a row of the form",
                 f"return the file procurement forms wrote, without editing its hidden sheet (it says {FIRST_ROW})")
        return None
    return row


def _read_answers(form: Form, ws, decision, language: str) -> None:
    w = WORDS[language]
    header = f"column E '{w[form.method]}'"
    first = _first_row(form) or FIRST_ROW
    n = len(decision.criteria)
    if all(ws.cell(row=first + i, column=5).value in (None, "") for i in range(n)) and not ws["B4"].value:
        form.add(f"sheet '{ws.title}'", "is not filled in", "fill in the form, or leave it out of the collection")
        return
    for i in range(n):
        row = first + i
        cid = cells.text_of(ws.cell(row=row, column=1).value)
        if cid not in decision.criterion_ids:
            form.add(f"sheet '{ws.title}', row {row}, column A", f"holds '{cid}', not a criterion of the form",
                     "do not move or delete rows; write a new form")
            continue
        v = cells.parse_number(ws.cell(row=row, column=5).value, language)
        where = f"sheet '{ws.title}', row {row}, {header}"
        if v is None:
            hint = "give every criterion a rank" if form.method == "rank" else "fill in every criterion (0 if it does not matter)"
            form.add(where, f"no value for criterion '{cid}'", hint)
        elif isinstance(v, cells.Bad):
            form.add(where, v.message, v.hint)
        else:
            form.values[cid] = v
    _read_who(form, ws, w)
    if len(form.values) == n:
        _check_values(form, ws.title, header, first, decision.criterion_ids)


def _read_who(form: Form, ws, w: _Words) -> None:
    form.respondent = cells.text_of(ws["B4"].value)
    if not form.respondent:
        form.add(f"sheet '{ws.title}', cell B4 '{w['respondent']}'", "is empty", "fill in who answered")
    raw = ws["B5"].value
    if isinstance(raw, dt.datetime):
        form.date = raw.date()
    elif isinstance(raw, dt.date):
        form.date = raw
    else:
        form.date = _parse_date(cells.text_of(raw))
        if form.date is None:
            form.add(f"sheet '{ws.title}', cell B5 '{w['date']}'",
                     f"'{cells.text_of(raw)}' is not a date" if raw else "is empty", "write the date as 24.10.2026")


def _parse_date(text: str) -> dt.date | None:
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _check_values(form: Form, sheet: str, header: str, first: int, ids: list[str]) -> None:
    vals = form.values
    where = f"sheet '{sheet}', {header}"
    for i, cid in enumerate(ids):
        v = vals[cid]
        row_where = f"sheet '{sheet}', row {first + i}, {header}"
        if form.method == "rank" and (v < 1 or v > len(ids) or not float(v).is_integer()):
            form.add(row_where, f"rank {cells.number_text(v)} for '{cid}' is not a whole number from 1 to {len(ids)}",
                     "1 is the most important")
        elif form.method != "rank" and not 0 <= v <= 100:
            form.add(row_where, f"{cells.number_text(v)} for '{cid}' is outside 0–100", "use a value from 0 to 100")
    if form.problems:
        return
    if form.method == "points" and abs(sum(vals.values()) - 100) > 1e-6:
        form.add(where, f"the points add up to {cells.number_text(round(sum(vals.values()), 6))}, not 100",
                 "move points between criteria until the sum is 100")
    elif form.method == "swing" and max(vals.values()) != 100:
        form.add(where, f"no swing weight is 100 (the highest is {cells.number_text(max(vals.values()))})",
                 "give the change that matters most 100 and the others 0–100 relative to it")
    elif form.method == "rank" and sorted(vals.values()) != [float(k) for k in range(1, len(ids) + 1)]:
        twice = sorted({cells.number_text(v) for v in vals.values() if list(vals.values()).count(v) > 1})
        form.add(where, f"rank{'s' if len(twice) > 1 else ''} {', '.join(twice)} given more than once",
                 f"use each number from 1 to {len(ids)} once")


# ---------------------------------------------------------------------------
# Collecting


@dataclass
class Collected:
    forms: list[Form]
    written: list[Path]
    skipped: list[Form]


def collect(case_dir: str | Path, paths: list[str | Path], decision_id: str | None = None, skip_invalid: bool = False,
            criteria_dir: str | Path | None = None) -> Collected:
    """Check every form, then merge the valid ones into profiles.csv (and new respondents into case.yaml).

    Raises InputError listing every problem of every broken form unless `skip_invalid`; then the broken forms
    are in ``skipped`` and only the valid ones are merged. The merged case passes the loader before anything is
    written; each file is replaced by an atomic rename.
    """
    case = load_case(case_dir, criteria_dir)
    forms = [read_form(p, case, decision_id) for p in paths]
    _check_twice(forms)
    broken = [f for f in forms if not f.ok]
    if broken and not skip_invalid:
        raise InputError([p for f in broken for p in f.problems])
    good = [f for f in forms if f.ok]
    written = _merge(case, good, criteria_dir) if good else []
    return Collected(forms, written, broken)


def _check_twice(forms: list[Form]) -> None:
    seen: dict[tuple[str, str], list[Form]] = {}
    for f in forms:
        if f.meta:
            seen.setdefault((f.decision, f.group), []).append(f)
    for (did, grp), fs in seen.items():
        if len(fs) > 1:
            names = ", ".join(display_path(f.path) for f in fs)
            for f in fs:
                f.add("", f"group '{grp}' returned more than one form for decision '{did}' ({names})",
                      "keep the one that counts and collect again")


#: The start of the comment line that records where a group's weights came from, in a profiles.csv without a
#: ``note`` column.
PROVENANCE = "# collected"


def _note(f: Form) -> str:
    return f"{f.respondent}, {f.date.isoformat() if f.date else ''}, {f.method} form {f.path.name}"


def _form_rows(case, f: Form, with_note: bool) -> list[_Row]:
    out = []
    for cid in case.decision(f.decision).criterion_ids:
        v = f.values[cid]
        values = {"decision": f.decision, "group": f.group, "criterion": cid,
                  "weight": v if f.method != "rank" else "", "rank": v if f.method == "rank" else ""}
        out.append(_Row(PROFILES, 0, {**values, "note": _note(f) if with_note else ""}))
    return out


def _merged_rows(case, target: Path, forms: list[Form], with_note: bool) -> list[_Row]:
    """profiles.csv's rows in file order, a collected group's new rows where its old ones were (a new group at the
    end), so a diff shows only the rows of the groups collected."""
    new = {(f.decision, f.group): _form_rows(case, f, with_note) for f in forms}
    old = [_Row(PROFILES, 0, {k: (float(v) if isinstance(v, int | float) else v) for k, v in r.items()})
           for r in _csv_rows(target, PROFILES)]
    return merged_in_place(old, lambda r: (r.values["decision"], r.values["group"]), new)


def _with_provenance(text: str, forms: list[Form]) -> str:
    """`text` with one leading comment line per collected group saying who answered, when, and on which form
    (replacing the group's line from an earlier collect)."""
    return with_comment_lines(text, [f"{PROVENANCE} {f.decision}/{f.group}:" for f in forms],
                              [f"{PROVENANCE} {f.decision}/{f.group}: {_note(f)}" for f in forms])


def _in_case(problem: Problem, staged: Path, case_dir: Path) -> Problem:
    """`problem` about a file of the staged copy, told about the case's own file it will replace."""
    for copy in (display_path(staged), str(staged)):
        if problem.file.startswith(copy):
            name = display_path(case_dir) + problem.file[len(copy):]
            return Problem(name, problem.where, problem.message, problem.hint)
    return problem


def _merge(case, forms: list[Form], criteria_dir: str | Path | None) -> list[Path]:
    case_dir = Path(case.path)
    target = case_dir / "profiles.csv"
    with_note = not target.exists() or "note" in _file_head(target)[1]
    rows = _merged_rows(case, target, forms, with_note)
    profiles_text, _ = _csv_text(target, PROFILES, rows)
    if not with_note:  # the file has no note column: adding one would change every line; the source goes in a comment
        profiles_text = _with_provenance(profiles_text, forms)
    doc = read_yaml_rt(case_dir / "case.yaml")
    new_groups = _add_stakeholders(doc, forms, case.stakeholder_ids)
    output_folder(case_dir, "CASE", "make the case folder writable: collect writes profiles.csv there")
    with staging_folder(case_dir, ".collect-") as tmp:
        staged = Path(tmp) / "case"
        shutil.copytree(case_dir, staged, ignore=shutil.ignore_patterns("reports", ".*"))
        (staged / "profiles.csv").write_text(profiles_text, encoding="utf-8")
        if new_groups:
            (staged / "case.yaml").write_text(dump_yaml_rt(doc), encoding="utf-8")
        crit = criteria_dir or case.criteria_dir
        try:
            load_case(staged, Path(crit).resolve())
        except InputError as err:  # name the case's own files, not the temporary copy (issue 26)
            raise InputError([_in_case(p, staged, case_dir) for p in err.problems]) from None
    changes = [(target, profiles_text)] + ([(case_dir / "case.yaml", dump_yaml_rt(doc))] if new_groups else [])
    temps = []
    for path, text in changes:
        tmp_path = path.with_name(f".{path.name}.collect")
        tmp_path.write_text(text, encoding="utf-8")
        temps.append((tmp_path, path))
    for tmp_path, path in temps:
        os.replace(tmp_path, path)
    return [p for _, p in temps]


def _add_stakeholders(doc, forms: list[Form], known: list[str]) -> list[str]:
    """Respondents from a list who are not yet stakeholder groups of the case become groups in case.yaml."""
    added = []
    for f in forms:
        if f.group in known or f.group in added:
            continue
        m = CommentedMap()
        m["id"] = f.group
        label = CommentedMap()
        label["nb"] = str(f.meta.get("group_label") or f.group)
        label["en"] = str(f.meta.get("group_label_en") or label["nb"])
        label.fa.set_flow_style()
        m["label"] = label
        m["description"] = f"Weights collected with a {f.method} form ({f.path.name})."
        doc.setdefault("stakeholders", []).append(m)
        added.append(f.group)
    return added
