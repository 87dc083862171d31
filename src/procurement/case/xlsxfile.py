"""Opening an Excel workbook someone returned, every failure one line.

A returned form or an exported case workbook is a file from outside: it may be a text file or a folder that only
carries the ``.xlsx`` name, a pipe (which would block the reader forever), a password-protected workbook (an OLE
container, not a zip), or a small zip whose members expand to gigabytes. :func:`open_workbook` checks, before
openpyxl loads anything, that the path is a regular file of at most :data:`MAX_XLSX_BYTES`, that it is a zip
(naming an encrypted or old ``.xls`` workbook as such), and that its members expand to at most
:data:`MAX_UNZIPPED_BYTES`; any failure of openpyxl after that is one line too. Every workbook reader of the
package opens its files here.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from procurement.case.errors import InputError, Problem, display_path

#: Largest workbook file read, in bytes (a filled form is about 10 kB, the example case's workbook about 60 kB).
MAX_XLSX_BYTES = 20 * 1024 * 1024
#: Most bytes the members of a workbook may expand to (sharedStrings and sheets unpacked).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
#: How an OLE compound file starts: a password-protected .xlsx (Excel encrypts into one) or an old .xls.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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
        return load_workbook(path, data_only=data_only)
    except InputError:
        raise
    except OSError as e:
        raise InputError(Problem(name, "", f"cannot be read: {e.strerror or e}", hint)) from None
    except Exception as e:  # noqa: BLE001 - openpyxl raises many kinds (KeyError, ValueError, ...) for a broken workbook
        raise InputError(Problem(name, "", f"cannot be read as an Excel workbook ({type(e).__name__}: {e})",
                                 hint)) from None


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
