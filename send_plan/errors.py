"""The one root exception and its small family, and the exit codes.

Core code raises these; :mod:`send_plan.cli.common` turns each into a one-line
message on stderr and the documented exit code. Nothing else reaches a user as a
traceback. This module imports nothing of the package but findings (for types).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from send_plan.findings import Finding

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


class PlanNotFound(UsageError):
    """No valid plan with the id asked for, or no id given and several plans read.

    Carries what the command line needs to name its own option in the message.
    """

    def __init__(self, message: str, *, plan_id: str | None, known: Sequence[str]) -> None:
        super().__init__(message)
        self.plan_id = plan_id
        self.known = tuple(known)


class PathError(SendPlanError):
    """A path that does not exist or cannot be read or written."""


class RefusedOverwrite(SendPlanError):
    """An output file exists and --force was not given."""


class PlansInvalid(SendPlanError):
    """The plans have errors; commands refuse to report on them."""

    exit_code = EXIT_INVALID

    def __init__(self, findings: Sequence[Finding], files: Sequence[str]) -> None:
        self.findings = tuple(findings)
        self.files = tuple(files)
        self.error_count = sum(1 for f in self.findings if f.is_error)
        self.warning_count = len(self.findings) - self.error_count
        super().__init__(f"the plans have {self.error_count} error(s); fix them first")
