"""`read_reports` over the bundled corpus against every folder's hand-checked
`expected.json`, with the same rule as the Rust corpus test (tests/corpus.rs): a cell is
right when it equals the expected value; it may be null only when the folder's
`allowed-misses.json` lists it for that input and a diagnostic names it; a listed cell that
is now right fails too (the list must shrink)."""

from pathlib import Path

import pandas as pd

from conftest import CORPUS, corpus_folders, load_json


def inputs_of(folder: Path):
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix != ".json")


def test_every_corpus_input_is_a_row_and_parsed(wide):
    want = [str(p) for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".json"]
    assert sorted(wide["file"]) == sorted(want)
    failed = wide[wide["error"].notna()]
    assert failed.empty, failed[["file", "error", "error_code"]].to_string()
    assert wide["error_code"].isna().all()
    assert wide["sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    # the walk passes over the JSON files next to the reports, and says so
    skipped = dict(wide.attrs["skipped"])
    for f in corpus_folders():
        assert skipped[str(f / "expected.json")] == "skipped.unsupported"


def test_year_and_template_are_meta_json_s(wide):
    for folder in corpus_folders():
        meta = load_json(folder / "meta.json")
        rows = wide[wide["file"].str.startswith(str(folder) + "/")]
        assert len(rows) >= 2, folder
        assert (rows["year"] == meta["year"]).all(), (folder, list(rows["year"]))
        allowed = {meta["template"]} | ({"mixed"} if meta["template"] == "v2021" else set())
        assert set(rows["template"]) <= allowed, (folder, set(rows["template"]))


def test_every_expected_cell_is_right_or_an_allowed_miss(wide, long):
    named = {
        (f, k): d
        for f, k, d in zip(long["file"], long["key"], long["diagnostics"].fillna(""))
    }
    status = {(f, k): s for f, k, s in zip(long["file"], long["key"], long["status"])}
    failures = []
    right = compared = 0
    for folder in corpus_folders():
        expected = load_json(folder / "expected.json")
        allowed_path = folder / "allowed-misses.json"
        allowed = load_json(allowed_path) if allowed_path.exists() else {}
        for path in inputs_of(folder):
            file = str(path)
            (row,) = wide.index[wide["file"] == file]
            may_miss = allowed.get(path.name, {})
            for key, want in expected.items():
                compared += 1
                got = wide.at[row, key]
                if want is None:
                    # null, but a cell of the report's template (as tests/corpus.rs asks)
                    ok = pd.isna(got) and status[(file, key)] != "not-in-template"
                else:
                    ok = not pd.isna(got) and abs(float(got) - want) < 1e-9
                if ok:
                    right += 1
                    if key in may_miss:
                        failures.append(f"{file}: {key} now right; remove it from allowed-misses.json")
                elif pd.isna(got) and key in may_miss and named[(file, key)]:
                    continue
                else:
                    failures.append(f"{file}: {key}: expected {want}, got {got}")
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:50])
    # not vacuous: the corpus holds thousands of cells, nearly all of them read
    assert compared > 10_000, compared
    assert right / compared > 0.95, (right, compared)


def test_numbers_are_typed(wide):
    assert str(wide["year"].dtype) == "Int64"
    assert str(wide["diagnostics"].dtype) == "Int64"
    assert str(wide["applications.new_received.total"].dtype) == "Int64"
    assert str(wide["active_disclosure.fees.amount"].dtype) == "Float64"
    assert str(wide["file"].dtype) == "string"
    # a cell of the other template version is missing, not 0
    v2019 = wide[wide["template"] == "v2019"]
    assert not v2019.empty
    assert v2019["active_disclosure.rules.issued"].isna().all()


def test_long_values_are_the_wide_values(wide, long):
    cells = long[long["status"] != "not-in-template"]
    assert len(cells) > 10_000
    rows = {f: i for i, f in enumerate(wide["file"])}
    for file, key, value in zip(cells["file"], cells["key"], cells["value"]):
        got = wide[key].iat[rows[file]]
        assert (pd.isna(got) and pd.isna(value)) or float(got) == float(value), (file, key)
    assert set(long["status"]) <= {"printed", "blank", "dash", "not-found", "not-in-template"}
    # "printed empty" and "not found" stay apart in `raw`
    blank = long[long["status"] == "blank"]
    assert not blank.empty and (blank["raw"].str.strip() == "").all()
    assert long.loc[long["status"] == "not-in-template", "raw"].isna().all()
