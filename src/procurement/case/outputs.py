"""Where a command writes: one checked way to make an output folder, every failure one line.

A folder the user names (``--out``, ``--xlsx``, ``procurement new CASE_DIR``) or one built from a name in the
input may be an existing file, lie under ``/proc`` or a read-only folder, or hold a name longer than a file
system allows (255 bytes). :func:`output_folder` creates the folder if needed and writes and removes a probe file
in it, so such a path is refused with one line naming it and the reason, before anything is computed or written;
:func:`output_file` does the same for the folder of a file and checks the file's own name. Writers then write a
temporary file beside the target and rename it (a half-written output never takes the target's name).
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from procurement.case.errors import InputError, Problem, display_path

#: Most bytes of one name in a path (Linux, macOS and Windows file systems all stop at 255).
MAX_NAME_BYTES = 255

_REASONS = {
    errno.EEXIST: "is a file, not a folder",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EACCES: "is not writable (permission denied)",
    errno.EPERM: "is not writable (operation not permitted)",
    errno.EROFS: "is on a read-only file system",
    errno.ENOENT: "cannot be created there (no such folder, or a system folder such as /proc)",
    errno.ENOSPC: "is on a full disk",
    errno.ENAMETOOLONG: "is a path too long for the file system",
}


def check_names(path: str | Path, option: str, hint: str) -> None:
    """An InputError when a name in `path` is longer than MAX_NAME_BYTES (the path itself is not touched)."""
    for part in Path(path).parts:
        size = len(os.fsencode(part))
        if size > MAX_NAME_BYTES:
            raise InputError(Problem(option, "", f"a name in the path is {size:,} bytes, more than the {MAX_NAME_BYTES} "
                                                 f"a file system allows: '{part}'", hint))


def output_folder(path: str | Path, option: str = "--out", hint: str = "") -> Path:
    """`path` made absolute and created if needed, checked to take a new file; InputError in one line otherwise.

    `option` names where the path came from (``--out``, or the input file and key it was built from); `hint` says
    what to do instead (default: choose another folder for `option`)."""
    out = Path(path).absolute()
    hint = hint or f"choose another folder for {option}"
    check_names(out, option, hint)
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-check-", dir=out)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        reason = _REASONS.get(e.errno or 0, f"cannot be written: {e.strerror or e}")
        if e.errno == errno.EEXIST and out.is_dir():  # mkdir said 'exists' for a dangling or looping link
            reason = f"cannot be written: {e.strerror or e}"
        raise InputError(Problem(f"{option} {display_path(out)}", "", reason, hint)) from None
    return out


def output_file(path: str | Path, option: str = "--out", hint: str = "") -> Path:
    """`path` made absolute, its folder checked by :func:`output_folder`, and refused when it is a folder or its
    name is too long."""
    target = Path(path).absolute()
    hint = hint or f"choose another file for {option}"
    check_names(target, option, hint)
    try:
        output_folder(target.parent, option, hint)
    except InputError as e:
        (p,) = e.problems
        raise InputError(Problem(f"{option} {display_path(target)}", "", f"its folder {p.message}", hint)) from None
    if target.is_dir():
        raise InputError(Problem(f"{option} {display_path(target)}", "", "is a folder, not a file", hint))
    return target


def staging_folder(near: str | Path, prefix: str) -> tempfile.TemporaryDirectory[str]:
    """A temporary folder (removed on leaving the ``with``) beside `near` when its folder takes one, else in the
    system's temporary folder: a staged copy is only checked, never renamed into place, so it may lie anywhere."""
    parent = Path(near).absolute().parent
    try:
        return tempfile.TemporaryDirectory(prefix=prefix, dir=parent)
    except OSError:
        return tempfile.TemporaryDirectory(prefix=prefix)
