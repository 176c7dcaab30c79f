"""Shared fixtures: the bundled corpus, read once per test session."""

import json
from pathlib import Path

import pytest

import ogi_report

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"


def corpus_folders():
    folders = sorted(p for p in CORPUS.iterdir() if p.is_dir())
    assert len(folders) >= 10, f"corpus missing: {len(folders)} folders in {CORPUS}"
    return folders


def load_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def wide():
    return ogi_report.read_reports(CORPUS)


@pytest.fixture(scope="session")
def long():
    return ogi_report.read_reports(CORPUS, long=True)
