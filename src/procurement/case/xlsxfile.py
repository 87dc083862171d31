"""Opening an Excel workbook someone returned, every failure one line.

A returned form or an exported case workbook is a file from outside: it may be a text file or a folder that only
carries the ``.xlsx`` name, a pipe (which would block the reader forever), a password-protected workbook (an OLE
container, not a zip), or a small zip whose members expand to gigabytes. :func:`open_workbook` checks, before
openpyxl loads anything, that the path is a regular file of at most :data:`MAX_XLSX_BYTES`, that it is a zip
(naming an encrypted or old ``.xls`` workbook as such), and that its members expand to at most
:data:`MAX_UNZIPPED_BYTES`; any failure of openpyxl after that is one line too. Every workbook reader of the
package opens its files here.

A sheet is bounded too: a single cell at XFD1048576 costs nothing to load, but a reader iterating the sheet's rows
walks (and openpyxl creates) every cell up to it -- minutes and gigabytes. Before loading, the ``<dimension ref>``
each worksheet declares is read from the first bytes of its XML (the zip member is streamed, never unpacked whole);
after loading, each sheet's real extent (``max_row``, ``max_column``) is checked again, since the dimension element
may lie or be missing. A sheet beyond :data:`MAX_SHEET_ROWS` rows or :data:`MAX_SHEET_COLUMNS` columns is refused in
one line naming the file and the sheet, so no reader ever iterates up to a huge ``max_row``. Merged ranges are
bounded before loading too (:data:`MAX_MERGED_CELLS`): openpyxl creates a cell object for every cell a merged range
covers while it loads, so one ``<mergeCell ref="A1:XFD1048576"/>`` under a small declared dimension would exhaust
memory before any extent could be checked; the ``<mergeCell>`` elements come after the sheet's data, so each sheet's
XML is streamed through once in chunks for them.
"""

from __future__ import annotations

import re
import stat
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.cell import get_column_letter, range_boundaries

from procurement.case.errors import InputError, Problem, display_path

#: Largest workbook file read, in bytes (a filled form is about 10 kB, the example case's workbook about 60 kB).
MAX_XLSX_BYTES = 20 * 1024 * 1024
#: Most bytes the members of a workbook may expand to (sharedStrings and sheets unpacked).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
#: How an OLE compound file starts: a password-protected .xlsx (Excel encrypts into one) or an old .xls.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Most rows a sheet may reach. The workbench's largest sheets are a case workbook's (the example case's cash flows
#: reach row 1,426: 926 rows of data and the 500 open input rows export leaves below them); a case of 50 options over
#: 60 years in 5 cost categories would need 15,000. 50,000 is well above any real case, and a reader walking that
#: far stays within seconds and a few hundred MB (openpyxl creates every cell it walks past).
MAX_SHEET_ROWS = 50_000
#: Most columns a sheet may reach: the widest sheet the workbench writes has 16 (the case workbook's criteria), a
#: tender form 7, a weight form 5; 100 (column CV) leaves room for an advisor's notes beside them.
MAX_SHEET_COLUMNS = 100
#: Most cells the merged ranges of one sheet may cover together. The workbench writes no merged cells; an advisor may
#: merge a heading or a note. openpyxl creates an object per covered cell when it loads (a million took 24 s and
#: 345 MB), so 10,000 cost milliseconds.
MAX_MERGED_CELLS = 10_000
#: How much of a sheet's XML is streamed to find its <dimension ref=...> (it comes right after <sheetPr>).
_HEAD_BYTES = 64 * 1024
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\s[^>]*?\bref\s*=\s*[\"']([^\"']{1,40})[\"']")
_SHEET_DATA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData[\s/>]")
_MERGE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref\s*=\s*[\"']([^\"']{1,40})[\"']")
#: Bytes of a sheet's XML read at a time when looking for merged ranges; the last _OVERLAP bytes are read twice so a
#: <mergeCell> element split between two chunks is still found whole.
_CHUNK = 1024 * 1024
_OVERLAP = 256


def open_workbook(path: str | Path, hint: str, *, data_only: bool = True) -> Any:
    """The openpyxl workbook of `path`, or an InputError in one line naming the file; `hint` says which file is
    expected (e.g. "return the .xlsx file 'procurement forms' wrote")."""
    path = Path(path)
    name = display_path(path)
    _check_file(path, name, hint)
    try:
        with path.open("rb") as f:
            head = f.read(len(_OLE))
        if head == _OLE:
            raise InputError(Problem(name, "", "is a password-protected (encrypted) workbook or an old .xls file",
                                     "save it without a password as an Excel workbook (.xlsx)"))
        if not zipfile.is_zipfile(path):
            raise InputError(Problem(name, "", "is not an Excel workbook (.xlsx)", hint))
        with zipfile.ZipFile(path) as z:
            unzipped = sum(i.file_size for i in z.infolist())
        if unzipped > MAX_UNZIPPED_BYTES:
            raise InputError(Problem(name, "", f"expands to {unzipped:,} bytes, more than the {MAX_UNZIPPED_BYTES:,} "
                                               "the workbench reads", hint))
        _check_declared_extent(path, name)
        wb = load_workbook(path, data_only=data_only)
    except InputError:
        raise
    except OSError as e:
        raise InputError(Problem(name, "", f"cannot be read: {e.strerror or e}", hint)) from None
    except Exception as e:  # noqa: BLE001 - openpyxl raises many kinds (KeyError, ValueError, ...) for a broken workbook
        raise InputError(Problem(name, "", f"cannot be read as an Excel workbook ({type(e).__name__}: {e})",
                                 hint)) from None
    for ws in wb.worksheets:  # the real extent: the dimension element may lie or be missing
        _check_extent(name, ws.title, ws.max_row, ws.max_column, "has cells up to")
    return wb


def _check_file(path: Path, name: str, hint: str) -> None:
    """A regular file of at most MAX_XLSX_BYTES: not missing, a folder, a pipe or a device."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(Problem(name, "", "file not found", hint)) from None
    except OSError as e:
        raise InputError(Problem(name, "", f"cannot be read: {e.strerror or e}", hint)) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(Problem(name, "", "is a folder, not a workbook", hint))
    if not stat.S_ISREG(info.st_mode):  # a FIFO would block the reader forever
        raise InputError(Problem(name, "", "is not a regular file (a pipe or a device)", hint))
    if info.st_size > MAX_XLSX_BYTES:
        raise InputError(Problem(name, "", f"is {info.st_size:,} bytes, more than the {MAX_XLSX_BYTES:,} the workbench "
                                           "reads", hint))


def _check_declared_extent(path: Path, name: str) -> None:
    """Refuse a worksheet whose declared <dimension ref> reaches beyond MAX_SHEET_ROWS or MAX_SHEET_COLUMNS, reading
    only the first bytes of each sheet's XML; the sheets are found as openpyxl finds them (workbook.xml and its
    relationships), so the names are the ones it will load."""
    reader = ExcelReader(path)
    try:
        reader.read_manifest()
        reader.read_workbook()
        for sheet, rel in reader.parser.find_sheets():
            if "chartsheet" in rel.Type or rel.target not in reader.valid_files:
                continue  # a chart sheet has no cells; a missing member is openpyxl's error to report
            extent = _declared(reader.archive, rel.target)
            if extent is not None:
                _check_extent(name, sheet.name, *extent, "declares cells up to")
            _check_merged(reader.archive, rel.target, name, sheet.name)
    finally:
        reader.archive.close()


def _declared(archive: zipfile.ZipFile, member: str) -> tuple[int, int] | None:
    """(last row, last column) of the member's <dimension ref>, or None when it has none before <sheetData> in its
    first _HEAD_BYTES, or one that is no cell range (then the real extent after loading decides)."""
    with archive.open(member) as f:
        head = f.read(_HEAD_BYTES)
    data = _SHEET_DATA.search(head)
    m = _DIMENSION.search(head, 0, data.start() if data else len(head))
    if m is None:
        return None
    try:
        _, _, last_col, last_row = range_boundaries(m.group(1).decode("ascii").upper().replace("$", ""))
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    if last_row is None or last_col is None:  # a whole-row or whole-column reference: left to the real extent
        return None
    return last_row, last_col


def _check_merged(archive: zipfile.ZipFile, member: str, name: str, sheet: str) -> None:
    """Refuse a sheet whose merged ranges cover more than MAX_MERGED_CELLS cells, streaming its XML in chunks."""
    covered = 0
    tail = b""
    with archive.open(member) as f:
        while chunk := f.read(_CHUNK):
            text = tail + chunk
            for m in _MERGE.finditer(text):
                if m.end() <= len(tail):
                    continue  # lies wholly in the overlap: counted with the chunk before
                ref = m.group(1).decode("ascii", "replace")
                covered += _area(ref)
                if covered > MAX_MERGED_CELLS:
                    raise InputError(Problem(name, f"sheet '{sheet}'",
                                             f"merges cells {ref} ({_area(ref):,} cells), more than the "
                                             f"{MAX_MERGED_CELLS:,} merged cells the workbench reads in a sheet",
                                             "unmerge them (Merge & Center > Unmerge Cells), save and give the "
                                             "workbook again"))
            tail = text[-_OVERLAP:]


def _area(ref: str) -> int:
    """Cells a range such as 'A1:XFD1048576' covers (a whole row or column counts as the sheet's limit); 0 when it is
    no range (openpyxl then reports the broken workbook)."""
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref.upper().replace("$", ""))
    except (ValueError, TypeError):
        return 0
    rows = (max_row or 1_048_576) - (min_row or 1) + 1
    columns = (max_col or 16_384) - (min_col or 1) + 1
    return max(rows, 0) * max(columns, 0)


def _check_extent(name: str, sheet: str, rows: int, columns: int, what: str) -> None:
    if rows <= MAX_SHEET_ROWS and columns <= MAX_SHEET_COLUMNS:
        return
    last = f"{get_column_letter(min(columns, 18_278))}{rows}"
    raise InputError(Problem(name, f"sheet '{sheet}'",
                             f"{what} {last} (row {rows:,}, column {columns:,}), more than the {MAX_SHEET_ROWS:,} "
                             f"rows and {MAX_SHEET_COLUMNS} columns the workbench reads",
                             "delete the rows below and the columns right of the data to keep within "
                             f"{get_column_letter(MAX_SHEET_COLUMNS)}{MAX_SHEET_ROWS:}, save and give the workbook again"))
