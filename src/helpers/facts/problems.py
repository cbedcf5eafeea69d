"""What is wrong with a table: one ``Problem`` per cell, row or file, and the error that carries them all."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or row, or file) of a table."""

    file: str
    expected: str
    row: int | None = None  # 1-based data row (the header is not a row)
    line: int | None = None  # line in the file where the row starts
    row_id: str | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f": row {self.row}"
            extra = [f"line {self.line}"] if self.line else []
            if self.row_id:
                extra.append(f"id {self.row_id!r}")
            if extra:
                where += f" ({', '.join(extra)})"
        elif self.line is not None:
            where += f": line {self.line}"
        if self.column:
            where += f", column {self.column!r}"
        got = "" if self.value is None else f"got {self.value!r}; "
        return f"{where}: {got}expected {self.expected}"


class DataError(ValueError):
    """Raised when tables do not validate; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the fact tables:\n{lines}")
