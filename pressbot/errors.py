"""Exit codes and the errors that carry them, for every `pressbot` command.

The codes are part of the command-line contract (README, "Exit codes"): cron and
wrappers decide what to do by them, so each has one meaning only.
"""

from __future__ import annotations

# Everything asked for was done.
EXIT_OK = 0
# Something was not stored, or a source failed (fetched nothing, failed to start,
# errors above the threshold, a budget cut the run short).
EXIT_FAIL = 1
# Usage or configuration error, found before any request is sent.
EXIT_USAGE = 2
# Another run holds the lock of a source.
EXIT_LOCKED = 3
# Interrupted by SIGINT / SIGTERM (128 + signal number, as shells report it).
EXIT_SIGINT = 130
EXIT_SIGTERM = 143


class PressbotError(Exception):
    """An error the command line reports as one line and ends with ``exit_code``."""

    exit_code = EXIT_FAIL


class UsageError(PressbotError):
    """A bad argument, setting or path: nothing was done."""

    exit_code = EXIT_USAGE


class LockedError(PressbotError):
    """Another run holds the lock."""

    exit_code = EXIT_LOCKED
