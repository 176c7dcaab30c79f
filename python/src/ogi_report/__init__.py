"""Chinese Open Government Information annual reports (政府信息公开工作年度报告) as exact,
typed, checked data: the Rust parser of the ``ogi-report`` project, in-process.

>>> import ogi_report
>>> df = ogi_report.read_reports("corpus")            # one row per file, the CLI's CSV columns
>>> df[["file", "year", "applications.new_received.total"]]
>>> report = ogi_report.parse("report.pdf")           # the CLI's JSON, as a dict
>>> ogi_report.schema()                               # canonical keys with Chinese labels

Every function parses in Rust without holding the GIL. A file that cannot be read raises
a subclass of :class:`OgiReportError` from :func:`parse`; in :func:`read_reports` it is a
row with ``error`` and ``error_code`` instead, so one bad file never stops a batch.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, List, Optional, Union

import pandas as pd

from . import _ogi_report
from ._ogi_report import (
    Damaged,
    EmptyInput,
    Encrypted,
    InternalError,
    LimitExceeded,
    NoTextLayer,
    NotAReport,
    OgiReportError,
    ReadError,
    UnsupportedFormat,
)

__all__ = [
    "parse",
    "read_reports",
    "schema",
    "FORMATS",
    "OgiReportError",
    "ReadError",
    "EmptyInput",
    "UnsupportedFormat",
    "Damaged",
    "Encrypted",
    "NoTextLayer",
    "LimitExceeded",
    "NotAReport",
    "InternalError",
]

#: The names ``format=`` accepts (and ``metadata.format`` reports).
FORMATS = ("text", "markdown", "html", "docx", "doc", "pdf")

PathLike = Union[str, "os.PathLike[str]"]


def parse(
    path_or_bytes: Union[PathLike, bytes, bytearray, memoryview],
    *,
    format: Optional[str] = None,
) -> Dict[str, Any]:
    """Parse one report: a path (``str`` or path-like) or the file's bytes.

    Returns the report as the CLI's JSON shape (``ogi-report parse`` writes it under
    ``"report"``): ``metadata`` (organization, year, title, template, format), ``sections``,
    ``tables`` (every cell as ``{"value", "raw", "location"}`` under its canonical key) and
    ``diagnostics`` (``code``, ``severity``, ``message``, ``location``, ``cells``). A cell
    the parser could not read is ``None`` with a diagnostic naming it; numbers are never
    guessed or corrected.

    ``format`` forces the input format (one of :data:`FORMATS`) instead of sniffing it from
    the bytes (a path ending in ``.md`` is read as markdown).

    Raises a subclass of :class:`OgiReportError` carrying the library's message, e.g.
    :class:`NotAReport`, :class:`Encrypted`, :class:`ReadError`; ``ValueError`` for an
    unknown ``format``.
    """
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        text = _ogi_report.parse_bytes(bytes(path_or_bytes), format)
    else:
        text = _ogi_report.parse_path(os.fspath(path_or_bytes), format)
    return json.loads(text)


def read_reports(
    paths_or_folder: Union[PathLike, Iterable[PathLike]],
    *,
    jobs: Optional[int] = None,
    long: bool = False,
) -> pd.DataFrame:
    """Parse many reports in parallel into one DataFrame.

    ``paths_or_folder`` is a file, a folder (walked recursively for the endings the CLI
    reads: ``.pdf .txt .md .html .htm .docx .doc .wps`` …) or a list of them. ``jobs`` is
    the number of threads (default: all cores); parsing runs in Rust without the GIL.

    With ``long=False``: one row per file, with the columns of ``ogi-report parse --format
    csv`` (``file, format, template, organization, year, diagnostics, error, error_code,
    sha256, duplicate_of``, then every canonical key of both template versions). Numbers
    are nullable ``Int64`` (``Float64`` for amounts in 万元, and for a count column in which
    some report prints a non-whole number); a cell that is null, or not in the report's
    template, is ``<NA>``. A file that could not be read has ``error`` and ``error_code``
    (``input.failed``; ``input.crash`` if the parser panicked) and no values.

    With ``long=True``: one row per canonical key per file, with the columns of
    ``--format long`` (``file, organization, year, template, table, key, row_label,
    column_label, printed_row_label, value, raw, status, page, line, box, diagnostics``);
    ``raw`` is ``<NA>`` for a cell not found and ``""`` for one printed empty.

    As in the CLI, byte-identical files are parsed once (``duplicate_of`` names the first)
    and the year-over-year checks (``years.*``) run over the batch. Files a folder walk
    passed over are listed in ``df.attrs["skipped"]`` as ``(path, reason code)``.
    """
    if isinstance(paths_or_folder, (str, os.PathLike)):
        paths = [os.fspath(paths_or_folder)]
    else:
        paths = [os.fspath(p) for p in paths_or_folder]
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    columns, skipped = _ogi_report.read_reports(paths, jobs, long)
    df = _frame(columns)
    df.attrs["skipped"] = list(skipped)
    return df


def schema() -> pd.DataFrame:
    """The canonical cells of both template versions, in template order: the columns of
    ``ogi-report schema --format csv`` (``key, table, row, column, row_label,
    column_label, kind, template``), with the template's Chinese labels. ``kind`` is
    ``count``, ``change`` (may be negative) or ``amount`` (万元); ``template`` is ``both``,
    ``v2021`` or ``v2019``."""
    return _frame(_ogi_report.schema())


def _frame(columns: List[Any]) -> pd.DataFrame:
    """A DataFrame from Rust's ``(name, dtype, values)`` columns; the dtypes are Rust's."""
    return pd.DataFrame(
        {name: pd.array(values, dtype=dtype) for name, dtype, values in columns},
        columns=[name for name, _, _ in columns],
    )
