"""Type hints of ogi_report (the implementation is in __init__.py and the Rust extension)."""

import os
from typing import Any, Dict, Iterable, Optional, Tuple, Union

import pandas as pd

_PathLike = Union[str, os.PathLike[str]]

FORMATS: Tuple[str, ...]

def parse(
    path_or_bytes: Union[_PathLike, bytes, bytearray, memoryview],
    *,
    format: Optional[str] = None,
) -> Dict[str, Any]:
    """Parse one report (a path or its bytes) into the CLI's JSON shape as a dict."""

def read_reports(
    paths_or_folder: Union[_PathLike, Iterable[_PathLike]],
    *,
    jobs: Optional[int] = None,
    long: bool = False,
) -> pd.DataFrame:
    """Parse files and folders in parallel: one row per file (the CLI's CSV columns,
    typed), or one row per cell with ``long=True``."""

def schema() -> pd.DataFrame:
    """The canonical cells of both template versions with their Chinese labels."""

class OgiReportError(Exception):
    """Base class of every error raised for input that cannot be read as a report."""

class ReadError(OgiReportError):
    """The file could not be read."""

class EmptyInput(OgiReportError):
    """The input holds no bytes, or only white space."""

class UnsupportedFormat(OgiReportError):
    """A format ogi_report does not read."""

class Damaged(OgiReportError):
    """A PDF, DOCX or DOC file damaged beyond what can be read."""

class Encrypted(OgiReportError):
    """An encrypted document: a password is needed to read it."""

class NoTextLayer(OgiReportError):
    """A PDF with no text layer (a scan): run OCR first."""

class LimitExceeded(OgiReportError):
    """A limit against hostile input was hit."""

class NotAReport(OgiReportError):
    """Readable text that holds nothing of an OGI annual report."""

class InternalError(OgiReportError):
    """The parser failed on this input (a bug in ogi_report)."""
