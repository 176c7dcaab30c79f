"""Times `ogi_report.read_reports(FOLDER)` against the release CLI's batch
(`ogi-report parse FOLDER --out TMP`), alternating runs, and prints both and their ratio.

    cargo build --release && pip install . && python python/examples/read_reports_vs_cli.py corpus [RUNS]
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import ogi_report

REPO = Path(__file__).resolve().parents[2]


def main(folder: str, runs: int) -> None:
    cli = REPO / "target" / "release" / "ogi-report"
    if not cli.is_file():
        sys.exit(f"{cli} not found: run `cargo build --release` first")
    t_cli, t_py = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            t = time.perf_counter()
            subprocess.run([str(cli), "parse", folder, "--out", out], check=True, stderr=subprocess.DEVNULL)
            t_cli.append(time.perf_counter() - t)
        t = time.perf_counter()
        df = ogi_report.read_reports(folder)
        t_py.append(time.perf_counter() - t)
    print(f"{len(df)} files, best of {runs}: CLI --out {min(t_cli):.2f} s, "
          f"read_reports {min(t_py):.2f} s, ratio {min(t_py) / min(t_cli):.2f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "corpus", int(sys.argv[2]) if len(sys.argv) > 2 else 3)
