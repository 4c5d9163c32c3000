"""The ``analysis`` command's Typer application and its sub-command groups, and the one
error path every command shares (:class:`OneLineErrors`): any
:class:`~analysis.core.errors.AnalysisError` (bad input, broken data, a busy folder, a
refresh that stopped) becomes one line ``error: …`` and exit code 2, a usage error (an
unknown option, ``--jobs 0``) one line and 2, an ``OSError`` (a full disk, a read-only
folder, a file that cannot be read, a folder where a file should be) one line naming the
file and 2, Ctrl-C ``interrupted`` and 130, SIGTERM ``terminated`` and 143. Anything else
is a bug and keeps its traceback."""

from __future__ import annotations

import signal

import typer
from typer.core import TyperGroup

from analysis.core.errors import AnalysisError, Terminated  # noqa: F401 - Terminated re-exported


def _on_term(signum, frame):
    raise Terminated


def error(message: str) -> None:
    """Print the tool's one-line error to stderr."""
    text = str(message).strip()
    first = text.splitlines()[0] if text else "error"
    typer.secho(f"error: {first}", fg=typer.colors.RED, err=True)


def os_error_line(exc: OSError) -> str:
    """``PATH: what went wrong`` (``data/curated/mergers.csv: Is a directory``)."""
    what = exc.strerror or str(exc) or type(exc).__name__
    return f"{exc.filename}: {what}" if exc.filename else what


def fail(message: str, code: int = 2) -> None:
    """Print a one-line error and exit with ``code``, no traceback."""
    error(message)
    raise typer.Exit(code)


class OneLineErrors(TyperGroup):
    """The command group that turns every error a user can cause into one line."""

    def invoke(self, ctx: typer.Context):
        previous = signal.signal(signal.SIGTERM, _on_term) if ctx.parent is None else None
        try:
            return super().invoke(ctx)
        except typer.TyperException as exc:  # a usage error: an unknown option, --jobs 0
            if ctx.parent is not None or type(exc).__name__ == "NoArgsIsHelpError":
                raise  # reported once, by the top-level group; `analysis data` prints help
            hint = f" (see `{exc.ctx.command_path} --help`)" if getattr(exc, "ctx", None) else ""
            error(" ".join(exc.format_message().split()) + hint)
            raise typer.Exit(exc.exit_code) from None
        except AnalysisError as exc:
            if ctx.parent is not None:
                raise
            error(exc.line)
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:  # the machine's, not the tool's: a full disk, no permission
            if ctx.parent is not None:
                raise
            error(os_error_line(exc))
            raise typer.Exit(2) from None
        except KeyboardInterrupt as exc:
            if ctx.parent is not None:
                raise
            terminated = isinstance(exc, Terminated)
            error("terminated" if terminated else "interrupted")
            raise typer.Exit(143 if terminated else 130) from None
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


app = typer.Typer(help="Finnish urban policy analysis: data, size classes, networks, reports.",
                  no_args_is_help=True, pretty_exceptions_enable=False, cls=OneLineErrors)
data_app = typer.Typer(help="Build, check and refresh the committed data snapshot.",
                       no_args_is_help=True, cls=OneLineErrors)
app.add_typer(data_app, name="data")
network_app = typer.Typer(help="The city–partnership network (graph, export).",
                          no_args_is_help=True, cls=OneLineErrors)
app.add_typer(network_app, name="network")
