"""One error base class for everything the tool reports to its user.

Every error a user can cause (bad parameters, broken data, a busy folder, a refresh that
stopped) derives from :class:`AnalysisError`; its message is written for the user and its
first line is complete on its own. The ``analysis`` command turns any ``AnalysisError``
into one line ``error: …`` and exit code 2; anything else is a bug and keeps its traceback.
Each layer declares its own subclasses beside the code that raises them.
"""

from __future__ import annotations

MAX_ECHO = 80  # characters of a user's value repeated in a message


class AnalysisError(Exception):
    """A problem the user can fix; the message says what and how."""

    exit_code = 2

    def __str__(self) -> str:  # LookupError and KeyError subclasses would quote the message
        return str(self.args[0]) if self.args else type(self).__name__

    @property
    def line(self) -> str:
        """The message's first line: what the command prints."""
        text = str(self).strip()
        return text.splitlines()[0] if text else type(self).__name__


class Terminated(KeyboardInterrupt):
    """SIGTERM (a timeout, CI cancelling, systemctl stop), handled as Ctrl-C is: the command
    cleans up what it was doing, says ``terminated`` and exits 143 (Ctrl-C: 130)."""


class ParameterError(AnalysisError, ValueError):
    """A notebook or command parameter is invalid; the message is meant for the user."""


def echo(value, limit: int = MAX_ECHO) -> str:
    """``repr(value)`` cut to ``limit`` characters, so a pasted 10 000-character name does not
    flood the terminal: ``'xxxx…' (10000 characters)``."""
    text = repr(value)
    if len(text) <= limit:
        return text
    size = len(value) if isinstance(value, (str, bytes, list, tuple)) else len(text)
    return f"{text[:limit - 1]}…' ({size} characters)" if isinstance(value, str) else \
        f"{text[:limit - 1]}… ({size} items)"
