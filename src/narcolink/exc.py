"""One exception tree. Each class carries its HTTP status; the web layer maps them
to RFC 9457 problem+json in one place and the CLI maps them to exit codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class NarcolinkError(Exception):
    """Base of every error narcolink raises on purpose."""

    status: int = 500
    title: str = "Internal error"
    exit_code: int = 1

    def __init__(self, detail: str = "", **extra: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.extra = extra


class BadRequest(NarcolinkError):
    status = 400
    title = "Bad request"
    exit_code = 2


class NotAuthenticated(NarcolinkError):
    status = 401
    title = "Not authenticated"
    exit_code = 3


class AccountLocked(NotAuthenticated):
    status = 423
    title = "Account locked"


class Forbidden(NarcolinkError):
    status = 403
    title = "Forbidden"
    exit_code = 3


class NotFound(NarcolinkError):
    """Also raised for records that exist but the caller may not see: never leak existence."""

    status = 404
    title = "Not found"
    exit_code = 4


class Conflict(NarcolinkError):
    status = 409
    title = "Conflict"
    exit_code = 5


@dataclass(frozen=True)
class Issue:
    """One validation problem, located as precisely as the input allows."""

    file: str
    row: int | None
    field: str | None
    reason: str
    value: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field {self.field!r}"
        return f"{where}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "row": self.row, "field": self.field, "reason": self.reason}


@dataclass
class ValidationReport:
    """Collected issues for one input; an import with any issue writes nothing."""

    file: str
    issues: list[Issue] = field(default_factory=list)
    rows_read: int = 0
    limit: int = 1000

    def add(self, row: int | None, field_name: str | None, reason: str) -> None:
        if len(self.issues) < self.limit:
            self.issues.append(Issue(self.file, row, field_name, reason))

    @property
    def ok(self) -> bool:
        return not self.issues

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "rows_read": self.rows_read,
            "ok": self.ok,
            "issues": [i.to_dict() for i in self.issues],
        }


class InvalidInput(NarcolinkError):
    """Input failed validation; ``report`` lists every issue found."""

    status = 422
    title = "Invalid input"
    exit_code = 2

    def __init__(self, report: ValidationReport) -> None:
        first = "; ".join(str(i) for i in report.issues[:3])
        more = len(report.issues) - 3
        detail = f"{len(report.issues)} problem(s) in {report.file}: {first}"
        if more > 0:
            detail += f" (and {more} more)"
        super().__init__(detail)
        self.report = report


class AuditBroken(NarcolinkError):
    """The audit chain does not verify: a row was edited, deleted or reordered."""

    status = 500
    title = "Audit chain broken"
    exit_code = 6
