"""The rest of the API: the CLI's numbers, `parse`, `schema`, batches with bad files and
copies, and the exceptions."""

import csv
import io
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import ogi_report
from conftest import CORPUS, REPO

CHANHE = CORPUS / "2024-chanhe-justice-bureau"


def cli() -> Path:
    """The ogi-report binary: $OGI_REPORT_CLI, else one built in target/. Missing is a failure."""
    named = os.environ.get("OGI_REPORT_CLI")
    candidates = [Path(named)] if named else [REPO / "target" / d / "ogi-report" for d in ("release", "debug")]
    for c in candidates:
        if c.is_file():
            return c
    pytest.fail(f"no ogi-report binary at {candidates}: run `cargo build` or set OGI_REPORT_CLI")


def test_the_wide_table_is_the_cli_csv(wide):
    out = subprocess.run(
        [str(cli()), "parse", "--format", "csv", str(CORPUS)],
        check=True, capture_output=True, text=True, encoding="utf-8",
    ).stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == list(wide.columns)
    assert len(rows) - 1 == len(wide)
    numbers = 0
    for rec, (_, row) in zip(rows[1:], wide.iterrows()):
        for name, text in zip(rows[0], rec):
            got = row[name]
            if text == "":
                assert pd.isna(got), (rec[0], name, got)
            elif isinstance(got, str):
                assert got == text, (rec[0], name)
            else:
                numbers += 1
                assert float(got) == float(text), (rec[0], name, got, text)
    assert numbers > 10_000, numbers


def test_parse_gives_the_report_json():
    r = ogi_report.parse(CHANHE / "source.txt")
    assert list(r) == ["metadata", "sections", "tables", "diagnostics"]
    assert r["metadata"]["organization"] == "瀍河回族区司法局"
    assert r["metadata"]["year"] == 2024
    assert r["metadata"]["template"] == "v2021"
    assert r["metadata"]["format"] == "text"
    assert list(r["tables"]) == ["active_disclosure", "applications", "review_litigation"]
    cell = r["tables"]["applications"]["new_received"]["total"]
    assert cell["value"] == 0 and cell["raw"] == "0" and cell["location"]["line"] > 0
    assert r["sections"]["overview"]["heading"].startswith("一")
    # bytes, str and path-like give the same report
    assert ogi_report.parse((CHANHE / "source.txt").read_bytes()) == r
    assert ogi_report.parse(str(CHANHE / "source.txt")) == r


def test_parse_reads_every_kind_of_input(wide):
    for path in sorted(CHANHE.iterdir()):
        if path.suffix == ".json":
            continue
        r = ogi_report.parse(path)
        (row,) = wide.index[wide["file"] == str(path)]
        assert r["metadata"]["format"] == wide.at[row, "format"], path
        cell = r["tables"]["applications"]["granted"]["total"]
        assert cell["value"] == wide.at[row, "applications.granted.total"], path


def test_format_forces_the_reader():
    text = (CHANHE / "source.txt").read_bytes()
    assert ogi_report.parse(text, format="markdown")["metadata"]["format"] == "markdown"
    with pytest.raises(ValueError, match='unknown format "word"'):
        ogi_report.parse(text, format="word")


def test_schema_lists_the_wide_columns_with_labels(wide):
    s = ogi_report.schema()
    assert list(s.columns) == ["key", "table", "row", "column", "row_label", "column_label", "kind", "template"]
    assert list(s["key"]) == list(wide.columns[10:])
    row = s[s["key"] == "applications.new_received.total"].iloc[0]
    assert row["row_label"] == "本年新收政府信息公开申请数量"
    assert row["column_label"] == "总计"
    assert row["kind"] == "count" and row["template"] == "both"
    assert set(s["kind"]) == {"count", "change", "amount"}
    assert set(s["template"]) == {"both", "v2021", "v2019"}


def test_a_batch_with_bad_files_and_copies(tmp_path):
    shutil.copy(CHANHE / "source.txt", tmp_path / "a.txt")
    shutil.copy(CHANHE / "source.txt", tmp_path / "b.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("今天天气很好。\n", encoding="utf-8")
    (tmp_path / "data.csv").write_text("x\n", encoding="utf-8")
    df = ogi_report.read_reports(tmp_path, jobs=2)
    by = df.set_index("file")
    a, b = str(tmp_path / "a.txt"), str(tmp_path / "b.txt")
    assert list(df["file"]) == [a, b, str(tmp_path / "empty.txt"), str(tmp_path / "notes.txt")]
    assert by.at[b, "duplicate_of"] == a and pd.isna(by.at[a, "duplicate_of"])
    assert by.at[a, "sha256"] == by.at[b, "sha256"]
    assert by.at[b, "applications.new_received.total"] == by.at[a, "applications.new_received.total"] == 0
    assert by.at[str(tmp_path / "empty.txt"), "error"] == "empty input"
    assert by.at[str(tmp_path / "notes.txt"), "error"] == "not an OGI annual report: no report section or table found"
    assert (by["error_code"].dropna() == "input.failed").all() and by["error_code"].notna().sum() == 2
    assert by.loc[str(tmp_path / "empty.txt"), "applications.new_received.total":].isna().all()
    assert df.attrs["skipped"] == [(str(tmp_path / "data.csv"), "skipped.unsupported")]
    cells = ogi_report.read_reports([tmp_path / "empty.txt", tmp_path / "a.txt"], long=True)
    failed = cells[cells["status"] == "failed"]
    assert list(failed["file"]) == [str(tmp_path / "empty.txt")]
    assert list(failed["diagnostics"]) == ["input.failed"]
    assert (cells.loc[cells["file"] == a, "key"] != "").all()


def test_a_missing_file_given_by_name_is_an_error_row(tmp_path):
    df = ogi_report.read_reports([tmp_path / "gone.pdf"])
    assert df.at[0, "error_code"] == "input.failed"
    assert "gone.pdf" in df.at[0, "error"]
    with pytest.raises(ValueError):
        ogi_report.read_reports(tmp_path, jobs=0)


def _encrypted_doc() -> bytes:
    """A corpus .doc with the FIB's fEncrypted flag set (FIB at a sector start, 0xA5EC)."""
    b = bytearray((CORPUS / "2019-shanghai-city-gov-office" / "rendered.doc").read_bytes())
    (fib,) = [i for i in range(512, len(b), 512) if b[i : i + 2] == b"\xec\xa5"]
    b[fib + 0x0B] |= 0x01
    return bytes(b)


@pytest.mark.parametrize(
    "data, kind, message",
    [
        (b"", ogi_report.EmptyInput, "empty input"),
        ("一些与报告无关的文字。\n".encode(), ogi_report.NotAReport,
         "not an OGI annual report: no report section or table found"),
        (b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", ogi_report.Damaged, "damaged pdf file: "),
        (b"PK\x03\x04garbage", ogi_report.Damaged, "damaged docx file: "),
        (None, ogi_report.Encrypted, "encrypted document: a password is needed to read it"),
    ],
)
def test_errors_are_exceptions_with_the_library_message(data, kind, message):
    data = _encrypted_doc() if data is None else data
    with pytest.raises(kind) as e:
        ogi_report.parse(data)
    assert str(e.value).startswith(message)
    assert isinstance(e.value, ogi_report.OgiReportError)
    assert type(e.value).__module__ == "ogi_report"


def test_an_unreadable_path_is_a_read_error(tmp_path):
    with pytest.raises(ogi_report.ReadError, match=r"^cannot read .*gone\.txt"):
        ogi_report.parse(tmp_path / "gone.txt")
    with pytest.raises(ogi_report.LimitExceeded, match="max_input_bytes"):
        big = tmp_path / "big.txt"
        with open(big, "wb") as f:
            f.truncate(65 * 1024 * 1024)
        ogi_report.parse(big)


def test_exception_classes_share_one_base():
    kinds = [ogi_report.ReadError, ogi_report.EmptyInput, ogi_report.UnsupportedFormat,
             ogi_report.Damaged, ogi_report.Encrypted, ogi_report.NoTextLayer,
             ogi_report.LimitExceeded, ogi_report.NotAReport, ogi_report.InternalError]
    assert all(issubclass(k, ogi_report.OgiReportError) for k in kinds)
    assert issubclass(ogi_report.OgiReportError, Exception)
    assert {k.__name__ for k in kinds} <= set(ogi_report.__all__)
