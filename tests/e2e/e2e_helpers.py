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




# ---- txs and queries through a node's HTTP API ------------------------------------------------------------------
def api_url(node) -> str:
    return f"http://{node.api}"


def query(node, path: str, **params: Any) -> Any:
    """``GET /query/<module>/<name>``'s value (None when not found)."""
    response = httpx.get(f"{api_url(node)}/query/{path}", params={k: v for k, v in params.items() if v is not None},
                         timeout=10)
    if response.status_code == 404:
        return None
    response.raise_for_status()
    return response.json()["value"]


def send_tx(node, key, chain_id: str, msgs: list, gas_limit: int = 400_000, timeout_s: float = 40) -> dict:
    """Sign ``msgs`` with ``key`` (sequence read from the node) and broadcast in commit mode; the reply."""
    import base64

    from suretychain.core.crypto import address_of
    from suretychain.core.encoding import Address
    from suretychain.core.tx import Coin, Fee, make_body, sign_tx

    sender = Address.from_raw(address_of(key.public_key.raw))
    account = query(node, "auth/account", address=str(sender))
    sequence = int(account["sequence"]) if account else 0
    body = make_body(chain_id, msgs, sender, key.public_key.raw, sequence,
                     Fee(amount=[Coin(denom="usrt", amount=gas_limit // 100)], gas_limit=gas_limit))
    tx = sign_tx(body, key)
    return httpx.post(f"{api_url(node)}/txs", json={"tx": base64.b64encode(tx).decode(), "mode": "commit"},
                      timeout=timeout_s).json()


def block_events(node, height: int, kind: str) -> list[dict[str, str]]:
    """The attributes of each FinalizeBlock event of type ``kind`` (``module.Type``) at ``height``."""
    results = rpc(node, "block_results", height=height)
    return [{a["key"]: a["value"] for a in e.get("attributes") or []}
            for e in results.get("finalize_block_events") or [] if e["type"] == kind]


def kill_node(home: NodeHome) -> None:
    """SIGKILL the node's process group and reap it."""
    import os
    import signal

    from suretychain.node.cometbft.testnet import pid_of

    pid = pid_of(home)
    if pid is None:
        return
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    wait_for(lambda: pid_of(home) is None or is_zombie(pid), 15, "the killed node to be gone")
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    home.pid_file.unlink(missing_ok=True)


def is_zombie(pid: int) -> bool:
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def process_gone(pid: int) -> bool:
    """The process exited (reaped here if it is our child)."""
    import os

    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return True
    except ChildProcessError:
        pass
    return is_zombie(pid)
