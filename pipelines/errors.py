"""Errors a person can act on: each names the file (and where it helps, sheet, row and column)."""

from __future__ import annotations


class BoardshiftError(Exception):
    """A run cannot go on. The message is shown to the user as is, without a traceback."""


class InputFileError(BoardshiftError):
    """A raw file cannot be read at all (format, encoding, header)."""

    def __init__(self, file: str, problem: str, sheet: str | None = None) -> None:
        where = f"{file}" + (f"，工作表“{sheet}”" if sheet else "")
        super().__init__(f"无法读取文件 {where}：{problem}")
        self.file = file
        self.sheet = sheet
        self.problem = problem
