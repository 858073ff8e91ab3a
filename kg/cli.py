"""The `kg` command line: parses options and calls the library; no logic of its own."""
from __future__ import annotations

import sys

import typer

from kg.errors import UserError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="claimgraph: who said what, to whom, relayed by whom, in which document.")


def main() -> None:
    """Entry point: user and data errors become one line on stderr and exit code 1."""
    try:
        app(standalone_mode=False)
    except UserError as error:
        print(f"kg: error: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as error:  # click usage errors and the like
        import click

        if isinstance(error, click.exceptions.Exit):
            sys.exit(error.exit_code)
        if isinstance(error, click.ClickException):
            error.show()
            sys.exit(2 if isinstance(error, click.UsageError) else 1)
        if isinstance(error, click.exceptions.Abort):
            sys.exit(130)
        raise
