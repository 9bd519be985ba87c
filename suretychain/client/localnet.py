"""A throwaway local devnet in a child process, for integration tests and scripts.

``with LocalDevnet(home) as net: Client(net.url).status()`` runs ``surety devnet --home HOME --listen
127.0.0.1:PORT`` (a free port), waits until ``GET /status`` answers, and stops the process on exit.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

STARTUP_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0


def find_free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class LocalDevnet:
    """A ``surety devnet`` child process on ``127.0.0.1``; use as a context manager or call start/stop."""

    def __init__(self, home: Path | str, block_time_s: float = 0.2, port: int | None = None,
                 startup_timeout_s: float = STARTUP_TIMEOUT_S) -> None:
        self.home = Path(home)
        self.block_time_s = block_time_s
        self.port = port or find_free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.startup_timeout_s = startup_timeout_s
        self.process: subprocess.Popen[bytes] | None = None
        self._log = self.home.parent / f"{self.home.name}-devnet.log"

    def start(self) -> "LocalDevnet":
        """Spawn the node and wait until its API answers; ``RuntimeError`` with its log if it does not."""
        command = [sys.executable, "-m", "suretychain.cli.main", "devnet", "--home", str(self.home),
                   "--listen", f"127.0.0.1:{self.port}", "--block-time", str(self.block_time_s)]
        self._log.parent.mkdir(parents=True, exist_ok=True)
        with open(self._log, "wb") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        deadline = time.monotonic() + self.startup_timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"devnet exited with {self.process.returncode}:\n{self.log_text()}")
            if self._answers():
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"devnet did not answer within {self.startup_timeout_s}s:\n{self.log_text()}")

    def _answers(self) -> bool:
        try:
            return httpx.get(f"{self.url}/status", timeout=1.0).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        """Stop the node (SIGINT, then SIGKILL if it lingers)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGINT)
        try:
            process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def log_text(self) -> str:
        """What the node printed so far."""
        try:
            return self._log.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def __enter__(self) -> "LocalDevnet":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
