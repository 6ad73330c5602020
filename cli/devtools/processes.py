"""Stopping a child process started in a session of its own (``start_new_session=True``): a signal to its whole
process group, then SIGKILL to the group if it has not exited within the grace period."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess


def signal_group(group: int, signum: int) -> None:
    """Send ``signum`` to process group ``group``; a group already gone is not an error."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signum)


def stop_group(process: subprocess.Popen[bytes] | subprocess.Popen[str], signum: int, *, grace: float) -> None:
    """``signum`` to the process's group (its pid: a session of its own), then SIGKILL after ``grace`` seconds."""
    signal_group(process.pid, signum)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        signal_group(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
