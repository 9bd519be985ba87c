"""Helpers of the e2e tests: free ports, bounded waits, RPC reads of a testnet's nodes."""
from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any, Callable

import httpx
import pytest

from suretychain.node.cometbft.home import NodeHome
from suretychain.node.cometbft.testnet import load_manifest

VALIDATORS = 4
SNAPSHOT_INTERVAL = 5


def ports_free(base: int, count: int) -> bool:
    for port in range(base, base + count):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def find_base_port(count: int = 60) -> int:
    for base in range(31000, 60000, 370):
        if ports_free(base, count):
            return base
    raise RuntimeError("no free port range")


def wait_for(predicate: Callable[[], Any], timeout_s: float, what: str, interval_s: float = 0.3) -> Any:
    """Poll ``predicate`` until it returns a truthy value; fail the test after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except (httpx.HTTPError, KeyError, ValueError) as exc:
            last_error = exc
        time.sleep(interval_s)
    pytest.fail(f"timed out after {timeout_s}s waiting for {what} (last error: {last_error})")


def rpc(node, method: str, **params: Any) -> Any:
    url = "http://" + node.rpc.split("://")[-1]
    reply = httpx.get(f"{url}/{method}", params=params, timeout=5).json()
    if reply.get("error"):
        raise ValueError(reply["error"])
    return reply["result"]


def height_of(node) -> int:
    return int(rpc(node, "abci_info")["response"].get("last_block_height") or 0)


def app_hash_at(node, height: int) -> str:
    return rpc(node, "block_results", height=height)["app_hash"]


class Testnet:
    __test__ = False

    def __init__(self, root: Path, base_port: int) -> None:
        self.root = root
        self.base_port = base_port

    @property
    def nodes(self):
        return load_manifest(self.root).nodes

    def home(self, index: int) -> NodeHome:
        return NodeHome(Path(self.nodes[index].home))

    def log_tail(self, index: int, lines: int = 30) -> str:
        home = self.home(index)
        out = []
        for name in ("surety.out", "node.log", "cometbft.log"):
            path = home.logs / name
            if path.exists():
                out.append(f"--- {path}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-lines:]))
        return "\n".join(out)


