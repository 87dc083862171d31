"""Reading an input file's text, every failure one line (no pandas here: YAML reading needs only this)."""

from __future__ import annotations

import stat
from pathlib import Path

from procurement.case.errors import InputError, Problem, display_path


def read_text(path: str | Path, limit: int) -> str:
    """File text as UTF-8 (BOM stripped), or an InputError in one line: not found, a folder, a pipe or device,
    a symlink loop or otherwise unreadable, larger than `limit` bytes, or not UTF-8 (naming the line)."""
    path = Path(path)
    name = display_path(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
            raise InputError(Problem(name, "", "is not a regular file (a pipe or a device)", "give a file"))
        size = info.st_size
        if size > limit:
            raise InputError(Problem(name, "", f"is {size:,} bytes, more than the {limit:,} the workbench reads",
                                     "is this the right file?"))
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(Problem(name, "", "file not found")) from None
    except IsADirectoryError:
        raise InputError(Problem(name, "", "is a folder, not a file")) from None
    except OSError as e:
        raise InputError(Problem(name, "", f"cannot be read: {e.strerror or e}")) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise InputError(
            Problem(
                name,
                f"line {line}",
                "text is not UTF-8",
                "save the file as 'CSV UTF-8' (Excel) or UTF-8 in your editor",
            )
        ) from None
