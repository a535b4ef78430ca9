"""The preview every import shows before it writes: what each row would do, and whether it may."""

from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass
class ImportPreview:
    """Rows (each with an `action`: create, update, ..., or refuse) and the file's own problems.

    An import applies only a preview with no file error and no refused row: all of it, or nothing.
    """

    ACTIONS: ClassVar[tuple[str, ...]] = ("create", "update", "skip", "refuse")

    rows: list[Any]
    file_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def can_apply(self) -> bool:
        return not self.file_errors and not self.refused and bool(self.rows)

    @property
    def refused(self) -> list[Any]:
        return [row for row in self.rows if row.action == "refuse"]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    def summary(self) -> dict[str, int]:
        return {action: self.count(action) for action in self.ACTIONS}
