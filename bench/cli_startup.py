"""How long ``raati --help`` takes, start to exit: the median wall time of N runs of the installed script.

Run from the repository root:

    .venv/bin/python bench/cli_startup.py            # 21 runs after 2 warm-ups
    .venv/bin/python bench/cli_startup.py --runs 51 -- meeting --help

Each run is a fresh process (``.venv/bin/raati``), so this is what a person typing the command waits for: the
interpreter's start, the imports and the help text. The target (issue 17, item 7) is under 0.3 s on a quiet
machine; the load average is printed next to the result because a busy machine makes every run slower.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

RAATI = Path(sys.executable).parent / "raati"


def one_run(args: list[str], raati: Path = RAATI) -> float:
    """One fresh process of ``raati`` (default: this venv's script) with ``args``, start to exit, in seconds."""
    started = time.perf_counter()
    subprocess.run([str(raati), *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="timed runs (default 21)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs first, to warm the file cache")
    parser.add_argument("args", nargs="*", default=["--help"], help="raati's arguments (default: --help)")
    options = parser.parse_args()
    for _ in range(options.warmup):
        one_run(options.args)
    times = sorted(one_run(options.args) for _ in range(options.runs))
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"raati {' '.join(options.args)}: median {statistics.median(times) * 1000:.0f} ms over {options.runs} runs "
        f"(fastest {times[0] * 1000:.0f} ms, slowest {times[-1] * 1000:.0f} ms; load average {load})"
    )


if __name__ == "__main__":
    main()
