"""The one root exception and its small family.

Core code raises these; ``cli.py`` turns each into a one-line message on stderr
and the documented exit code. Nothing else reaches a user as a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from send_plan.validation import CheckResult

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


class SendPlanError(Exception):
    """A known failure with a message written for the user."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(SendPlanError):
    """A bad option value, an unknown id, a refused request."""


class PathError(SendPlanError):
    """A path that does not exist or cannot be read or written."""


class RefusedOverwrite(SendPlanError):
    """An output file exists and --force was not given."""


class PlansInvalid(SendPlanError):
    """The plans have errors; commands refuse to report on them."""

    exit_code = EXIT_INVALID

    def __init__(self, result: CheckResult) -> None:
        super().__init__(f"the plans have {result.error_count} error(s); fix them first")
        self.result = result
