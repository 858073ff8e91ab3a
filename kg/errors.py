"""The one exception type the CLI turns into a one-line message and exit code 1."""


class UserError(Exception):
    """Bad input or environment: shown to the user as one line, never as a traceback."""
