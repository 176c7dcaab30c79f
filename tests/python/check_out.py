"""Loads an `ogi-report parse --out DIR` folder with pandas and openpyxl, as a user would,
and checks that every output holds the same inputs.

    python tests/python/check_out.py DIR

Needs pandas and openpyxl (`pip install pandas openpyxl`). Exits non-zero on a mismatch.
"""

import sys
from pathlib import Path

import openpyxl
import pandas as pd


def main(out: Path) -> None:
    for name in ["reports.csv", "cells.csv", "diagnostics.csv", "panel.csv"]:
        head = (out / name).read_bytes()[:3]
        assert head == b"\xef\xbb\xbf", f"{name} has no UTF-8 BOM"
    reports = pd.read_csv(out / "reports.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    cells = pd.read_csv(out / "cells.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    diags = pd.read_csv(out / "diagnostics.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    files = list(reports["file"])
    assert len(files) == len(set(files)), "a file has two rows in reports.csv"
    assert set(cells["file"]) == set(files), "cells.csv and reports.csv name different files"
    failed = set(reports.loc[reports["error"] != "", "file"])
    assert set(cells.loc[cells["status"] == "failed", "file"]) == failed
    assert set(diags.loc[diags["code"].str.startswith("input."), "file"]) == failed
    allowed = {"printed", "blank", "dash", "not-found", "not-in-template", "failed"}
    assert set(cells["status"]) <= allowed, set(cells["status"]) - allowed

    # Excel: the same rows; numbers are numbers
    xl = pd.read_excel(out / "reports.xlsx", sheet_name=None, engine="openpyxl")
    assert list(xl) == ["reports", "cells", "diagnostics"], list(xl)
    assert list(xl["reports"]["file"]) == files
    assert len(xl["cells"]) == len(cells)
    assert len(xl["diagnostics"]) == len(diags)
    wb = openpyxl.load_workbook(out / "reports.xlsx", read_only=True)
    ws = wb["reports"]
    header = [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]
    year = header.index("year")
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[year] is not None:
            assert isinstance(row[year], (int, float)), f"year {row[year]!r} is not a number"
    # flagged cells are highlighted
    flagged = diags[(diags["severity"] != "info") & (diags["cells"] != "")]
    if len(flagged):
        wb = openpyxl.load_workbook(out / "reports.xlsx")
        ws = wb["reports"]
        filled = sum(
            1
            for row in ws.iter_rows(min_row=2)
            for c in row
            if c.fill is not None and c.fill.fgColor is not None and c.fill.fgColor.rgb not in (None, "00000000")
        )
        assert filled > 0, "no highlighted cell though warnings name cells"
    print(f"ok: {len(files)} inputs ({len(failed)} failed), {len(cells)} cells, {len(diags)} diagnostics")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
