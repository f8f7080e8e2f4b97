"""Files and directories pressbot creates: the user's umask is respected, and nothing
is ever writable by everyone (even under ``umask 000``, as some cron setups have).

A database, a dead-letter file or an export may hold unpublished corrections and
the credentials-adjacent details of a production setup; a world-writable one could
be altered by any local user. File names never come from pages or feeds: pressbot
writes only to paths the user gives (or the documented defaults).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

# Before the umask: rw for owner and group, read for others; never write for others.
FILE_MODE = 0o664
DIR_MODE = 0o775


def make_dirs(path: str | Path) -> None:
    """``mkdir -p`` with :data:`DIR_MODE` (then the umask)."""
    Path(path).mkdir(mode=DIR_MODE, parents=True, exist_ok=True)


def create_file(path: str | Path) -> None:
    """Create ``path`` empty, with :data:`FILE_MODE`, unless it exists.

    An existing file is never opened: closing any descriptor of a SQLite database
    drops the POSIX locks its connections in this process hold, which corrupts it.
    """
    path = Path(path)
    make_dirs(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return
    os.close(fd)


def open_new(path: str | Path, mode: str = "w", **kwargs: Any) -> IO[Any]:
    """``open(path, mode)`` for writing ("w", "a", "wb", "ab", "a+"), creating the file
    with :data:`FILE_MODE` instead of Python's 0o666."""
    flags = os.O_CREAT
    if "+" in mode:
        flags |= os.O_RDWR
    else:
        flags |= os.O_WRONLY
    if mode.startswith("a"):
        flags |= os.O_APPEND
    elif mode.startswith("w"):
        flags |= os.O_TRUNC
    else:
        raise ValueError(f"open_new is for writing, not mode {mode!r}")
    fd = os.open(path, flags, FILE_MODE)
    try:
        return os.fdopen(fd, mode, **kwargs)
    except BaseException:
        os.close(fd)
        raise
