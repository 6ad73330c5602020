"""What installing Raati costs: the size of a fresh venv holding it, its distributions, and ``raati --help``'s time.

Run from the repository root:

    .venv/bin/python bench/install_size.py              # 21 timed runs of raati --help
    .venv/bin/python bench/install_size.py --runs 51 --keep

A new venv is made in a temporary folder outside the checkout, and Raati is installed into it as an operator would:
non-editable, the default dependencies only (no dev group, no extras), from a copy of the checkout's tracked files
(so the build writes nothing into the checkout). The size is a walk over the venv's files (like ``du``), printed
whole, without ``__pycache__`` (compiled on first import; a read-only install may never have them) and without
pip/setuptools too (the venv's own tools, not Raati's). The ``--help`` time is bench/cli_startup.py's measure
run on the new venv's ``raati``. The issue's target (issue 17) is at most 250 MB and 90 packages.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.cli_startup import one_run  # noqa: E402

MB = 1_000_000
VENV_TOOLS = frozenset({"pip", "setuptools", "wheel"})  # what ``python -m venv`` brings, not Raati


def tree_size(folder: Path, *, skip_pycache: bool = False) -> int:
    """The bytes of the regular files under ``folder`` (symbolic links not followed), like ``du --apparent-size``."""
    total = 0
    for parent, folders, files in os.walk(folder):
        if skip_pycache:
            folders[:] = [name for name in folders if name != "__pycache__"]
        for name in files:
            path = Path(parent, name)
            if not path.is_symlink():
                total += path.stat().st_size
    return total


def copy_tracked_files(destination: Path) -> None:
    """The checkout's tracked files as they are in the working tree: what a wheel is built from, without .venv."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split("\0")
    for relative in filter(None, listed):
        source = ROOT / relative
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree, not yet committed
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)


def distributions(site_packages: Path) -> list[tuple[str, int, int]]:
    """Each installed distribution as (name, bytes of its files without __pycache__, bytes with), largest first."""
    found = []
    for dist in importlib.metadata.distributions(path=[str(site_packages)]):
        name = dist.metadata["Name"] or "?"
        whole = without = 0
        for file in dist.files or ():
            path = Path(str(dist.locate_file(file)))
            if path.is_file() and not path.is_symlink():
                size = path.stat().st_size
                whole += size
                if "__pycache__" not in file.parts:
                    without += size
        found.append((name, without, whole))
    return sorted(found, key=lambda row: row[1], reverse=True)


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def needed_by(roots: list[str], site_packages: Path, *, leave_out: frozenset[str] = frozenset()) -> set[str]:
    """The distributions (normalised names) the requirement strings ``roots`` pull in, with their extras and
    markers as pip evaluates them here, never passing through a distribution named in ``leave_out``."""
    installed = {
        _key(dist.metadata["Name"] or ""): dist for dist in importlib.metadata.distributions(path=[str(site_packages)])
    }
    seen: set[tuple[str, str]] = set()
    found: set[str] = set()
    todo = [(Requirement(line), "") for line in roots]
    while todo:
        requirement, extra = todo.pop()
        name = _key(requirement.name)
        if name in leave_out or name not in installed:
            continue
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": extra}):
            continue
        for wanted in ("", *sorted(requirement.extras)):
            if (name, wanted) in seen:
                continue
            seen.add((name, wanted))
            found.add(name)
            todo.extend((Requirement(line), wanted) for line in installed[name].requires or ())
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="timed runs of raati --help (default 21)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs first (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print where it is")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="raati-install-size-"))
    assert not work.is_relative_to(ROOT), "the venv must be outside the checkout"
    try:
        source, venv = work / "source", work / "venv"
        copy_tracked_files(source)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = venv / "bin" / "python"
        print(f"installing raati from {ROOT} (non-editable, default dependencies) into {venv} …", flush=True)
        installed = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--no-cache-dir", str(source)],
            cwd=work,
            capture_output=True,
            text=True,
            check=False,
        )
        if installed.returncode != 0:  # pip's words only when it failed (it warns about every index it skips)
            sys.exit(f"pip install failed ({installed.returncode}):\n{installed.stdout}{installed.stderr}")
        site_packages = Path(
            subprocess.run(
                [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
        )

        dists = distributions(site_packages)
        whole = tree_size(venv)
        without_pycache = tree_size(venv, skip_pycache=True)
        tools = sum(size for name, size, _ in dists if name.lower() in VENV_TOOLS)
        others = [row for row in dists if row[0].lower() not in VENV_TOOLS]
        today = datetime.datetime.now(datetime.UTC).date().isoformat()
        print(f"\nInstall size ({today}, Python {sys.version.split()[0]}, {sys.platform}):")
        print(f"  the venv, every file:                        {whole / MB:7.1f} MB")
        print(f"  without __pycache__:                         {without_pycache / MB:7.1f} MB")
        print(f"  without __pycache__ and pip/setuptools:      {(without_pycache - tools) / MB:7.1f} MB")
        print(f"  installed distributions: {len(dists)} ({len(others)} without pip/setuptools, raati included)")
        print("  the largest 10 (without __pycache__):")
        for name, size, with_cache in others[:10]:
            print(f"    {name:<28} {size / MB:6.1f} MB  ({with_cache / MB:.1f} MB with __pycache__)")

        # Prefect's share: what is installed only because of it (Raati's other requirements do not reach it).
        (raati_dist,) = (d for d in importlib.metadata.distributions(path=[str(site_packages)]) if d.name == "raati")
        ours = raati_dist.requires or []
        everything = needed_by(ours, site_packages)
        without_prefect = needed_by(ours, site_packages, leave_out=frozenset({"prefect-client"}))
        only_prefect = everything - without_prefect
        share = sum(size for name, size, _ in dists if _key(name) in only_prefect)
        print(
            f"  prefect-client and what only it brings: {len(only_prefect)} distributions, {share / MB:.1f} MB "
            f"(without __pycache__); the rest of Raati's requirements: {len(without_prefect)} distributions"
        )

        raati = venv / "bin" / "raati"
        for _ in range(options.warmup):
            one_run(["--help"], raati)
        times = sorted(one_run(["--help"], raati) for _ in range(options.runs))
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        print(
            f"\nraati --help from that venv: median {statistics.median(times) * 1000:.0f} ms over {options.runs} runs "
            f"(fastest {times[0] * 1000:.0f} ms, slowest {times[-1] * 1000:.0f} ms; load average {load})"
        )
    finally:
        if options.keep:
            print(f"\nkept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
