"""A local testnet: N validator homes on 127.0.0.1 with distinct ports and one shared genesis.

``<root>/testnet.json`` lists the nodes; ``<root>/node<i>/`` is a node home (see ``home.py``). Node ``i`` uses
ports ``base + 10*i`` (p2p), ``+1`` (CometBFT RPC), ``+2`` (HTTP API) and ``+3`` (ABCI, TCP). Every node lists the
others as persistent peers, with ``addr_book_strict = false`` and ``allow_duplicate_ip = true`` (all share one IP),
and fast consensus timeouts. Each node snapshots its state every ``snapshot_interval`` blocks, so a new node can
join by state sync (:func:`add_node`).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import msgspec

from suretychain.node.cometbft.home import (
    DEFAULT_CHAIN_ID,
    NodeConfig,
    NodeHome,
    SlashingOverrides,
    apply_node_config,
    build_network_genesis,
    compute_node_id,
    encode_cometbft_genesis,
    init_node,
    read_validator,
)
from suretychain.node.cometbft.run import rpc_http_url

DEFAULT_BASE_PORT = 27000
DEFAULT_SNAPSHOT_INTERVAL = 10
STOP_GRACE_S = 15.0
SNAPSHOT_KEEP = 10  # a joining node fetches a snapshot some seconds after discovering it: keep enough of them


class TestnetNode(msgspec.Struct):
    moniker: str
    home: str
    node_id: str
    p2p: str
    rpc: str
    api: str
    validator: bool = True


class TestnetManifest(msgspec.Struct):
    chain_id: str
    nodes: list[TestnetNode]


def manifest_path(root: Path) -> Path:
    return Path(root) / "testnet.json"


def load_manifest(root: Path) -> TestnetManifest:
    path = manifest_path(root)
    if not path.exists():
        raise FileNotFoundError(f"{root} has no testnet.json: run `surety testnet init --home {root}` first")
    return msgspec.json.decode(path.read_bytes(), type=TestnetManifest)


def save_manifest(root: Path, manifest: TestnetManifest) -> None:
    manifest_path(root).write_bytes(msgspec.json.format(msgspec.json.encode(manifest), indent=2) + b"\n")


def compute_node_config(index: int, base_port: int, snapshot_interval: int) -> NodeConfig:
    port = base_port + 10 * index
    return NodeConfig(moniker=f"node{index}", abci=f"tcp://127.0.0.1:{port + 3}", api=f"127.0.0.1:{port + 2}",
                      rpc=f"tcp://127.0.0.1:{port + 1}", p2p=f"tcp://127.0.0.1:{port}",
                      snapshot_interval=snapshot_interval, snapshot_keep=SNAPSHOT_KEEP, snapshot_chunk_bytes=64 * 1024)


def _p2p_peers_config(peers: str) -> dict[str, Any]:
    return {"persistent_peers": peers, "addr_book_strict": False, "allow_duplicate_ip": True}


def init_testnet(root: Path, validators: int, chain_id: str = DEFAULT_CHAIN_ID, base_port: int = DEFAULT_BASE_PORT,
                 snapshot_interval: int = DEFAULT_SNAPSHOT_INTERVAL,
                 slashing: SlashingOverrides | None = None) -> TestnetManifest:
    """Create ``validators`` node homes under ``root`` sharing one genesis: demo accounts funded, and each node's
    operator account funded and creating its validator (consensus key = the node's ``priv_validator_key.json``,
    VRF key generated into the home), so the App's genesis set equals genesis.json's."""
    root = Path(root).expanduser().resolve()
    if manifest_path(root).exists():
        raise FileExistsError(f"{root} already holds a testnet (remove it to start over)")
    homes: list[NodeHome] = []
    nodes: list[TestnetNode] = []
    for index in range(validators):
        config = compute_node_config(index, base_port, snapshot_interval)
        home = init_node(root / f"node{index}", config.moniker, chain_id, config=config, write_genesis=False)
        homes.append(home)
        nodes.append(TestnetNode(moniker=config.moniker, home=str(home.root), node_id=compute_node_id(home),
                                 p2p=config.p2p, rpc=config.rpc, api=config.api))
    doc = build_network_genesis(chain_id, time.time_ns(), homes, slashing)
    genesis = encode_cometbft_genesis(doc, [dict(read_validator(h), name=n.moniker) for h, n in zip(homes, nodes)])
    for index, home in enumerate(homes):
        home.write_genesis(genesis)
        peers = ",".join(f"{n.node_id}@{n.p2p.split('://')[-1]}" for j, n in enumerate(nodes) if j != index)
        home.edit_cometbft_config("p2p", _p2p_peers_config(peers))
    manifest = TestnetManifest(chain_id=chain_id, nodes=nodes)
    root.mkdir(parents=True, exist_ok=True)
    save_manifest(root, manifest)
    return manifest


def add_node(root: Path, state_sync: bool = True, base_port: int = DEFAULT_BASE_PORT,
             trust_timeout_s: float = 60.0) -> TestnetNode:
    """A new non-validator node with the testnet's genesis and peers; with ``state_sync`` it restores the latest
    snapshot (trusting a recent block hash read from node0's RPC) instead of replaying every block."""
    root = Path(root).expanduser().resolve()
    manifest = load_manifest(root)
    index = len(manifest.nodes)
    config = compute_node_config(index, base_port, DEFAULT_SNAPSHOT_INTERVAL)
    home = init_node(root / f"node{index}", config.moniker, manifest.chain_id, config=config, write_genesis=False)
    home.write_genesis(NodeHome(Path(manifest.nodes[0].home)).read_genesis())
    peers = ",".join(f"{n.node_id}@{n.p2p.split('://')[-1]}" for n in manifest.nodes)
    home.edit_cometbft_config("p2p", _p2p_peers_config(peers))
    if state_sync:
        rpcs = [n.rpc.split("://")[-1] for n in manifest.nodes[:2]]
        height, block_hash = fetch_trusted_block(rpc_http_url(manifest.nodes[0].rpc), trust_timeout_s)
        home.edit_cometbft_config("statesync", {
            "enable": True, "rpc_servers": ",".join(rpcs if len(rpcs) > 1 else rpcs * 2),
            "trust_height": height, "trust_hash": block_hash, "trust_period": "168h0m0s",
            "discovery_time": "5s", "chunk_request_timeout": "10s"})
    node = TestnetNode(moniker=config.moniker, home=str(home.root), node_id=compute_node_id(home), p2p=config.p2p,
                       rpc=config.rpc, api=config.api, validator=False)
    manifest.nodes.append(node)
    save_manifest(root, manifest)
    return node


def fetch_trusted_block(rpc_url: str, timeout_s: float) -> tuple[int, str]:
    """A recent committed block's height and hash (the light client's root of trust for state sync)."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            status = httpx.get(f"{rpc_url}/status", timeout=5).json()["result"]["sync_info"]
            height = int(status["latest_block_height"])
            if height >= 2:
                block = httpx.get(f"{rpc_url}/block", params={"height": height - 1}, timeout=5).json()["result"]
                return height - 1, block["block_id"]["hash"]
        except (httpx.HTTPError, KeyError, ValueError):
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"no block to trust from {rpc_url} within {timeout_s}s")
        time.sleep(0.5)


# ---- processes ------------------------------------------------------------------------------------------------
def pid_of(home: NodeHome) -> int | None:
    """The running node's pid (from node.pid), or None if it is not running."""
    try:
        pid = int(home.pid_file.read_text())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def start_node_process(home: NodeHome, env: dict[str, str] | None = None) -> int:
    """``surety node start --home <home>`` in a new session (its own process group); return its pid.
    ``env``: extra environment variables for the node (tests use the ABCI fault-injection switch)."""
    running = pid_of(home)
    if running is not None:
        return running
    home.logs.mkdir(parents=True, exist_ok=True)
    out = open(home.logs / "surety.out", "ab")
    proc = subprocess.Popen([sys.executable, "-m", "suretychain.cli.main", "node", "start", "--home", str(home.root)],
                            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                            env=dict(os.environ, **env) if env else None)
    out.close()
    home.pid_file.write_text(str(proc.pid))
    return proc.pid


def stop_node_process(home: NodeHome, sig: int = signal.SIGTERM, grace_s: float = STOP_GRACE_S) -> bool:
    """Signal the node's process group (``sig``), wait up to ``grace_s``, then SIGKILL; True if one was running."""
    pid = pid_of(home)
    if pid is None:
        return False
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline and _group_alive(pid):
        time.sleep(0.1)
    if _group_alive(pid):
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _reap(pid)
    home.pid_file.unlink(missing_ok=True)
    return True


def _group_alive(pgid: int) -> bool:
    """Whether any live (non-zombie) process is left in process group ``pgid``."""
    _reap(pgid)
    for proc_dir in Path("/proc").iterdir():
        if proc_dir.name.isdigit():
            stat = _stat(proc_dir)
            if stat is not None and stat[2] == pgid and stat[0] != "Z":
                return True
    return False


def _stat(proc_dir: Path) -> tuple[str, int, int] | None:
    """(state, ppid, pgid) of a process from /proc/<pid>/stat."""
    try:
        fields = (proc_dir / "stat").read_text().rsplit(")", 1)[1].split()
        return fields[0], int(fields[1]), int(fields[2])
    except (OSError, ValueError, IndexError):
        return None


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def start_testnet(root: Path) -> list[int]:
    return [start_node_process(NodeHome(Path(n.home))) for n in load_manifest(root).nodes]


def stop_testnet(root: Path) -> list[bool]:
    return [stop_node_process(NodeHome(Path(n.home))) for n in load_manifest(root).nodes]


def get_node_status(node: TestnetNode, timeout_s: float = 3.0) -> dict[str, Any]:
    """One node's moniker, height, app hash (after that height) and sync state from its CometBFT RPC."""
    url = rpc_http_url(node.rpc)
    entry: dict[str, Any] = {"moniker": node.moniker, "home": node.home, "rpc": url, "api": f"http://{node.api}",
                             "validator": node.validator, "running": pid_of(NodeHome(Path(node.home))) is not None}
    try:
        status = httpx.get(f"{url}/status", timeout=timeout_s).json()["result"]
        info = httpx.get(f"{url}/abci_info", timeout=timeout_s).json()["result"]["response"]
    except (httpx.HTTPError, KeyError, ValueError) as exc:
        entry.update(height=None, app_hash=None, catching_up=None, error=str(exc) or type(exc).__name__)
        return entry
    import base64

    entry.update(height=int(info.get("last_block_height") or 0),
                 app_hash=base64.b64decode(info.get("last_block_app_hash") or "").hex(),
                 catching_up=bool(status["sync_info"]["catching_up"]), node_id=status["node_info"]["id"],
                 block_height=int(status["sync_info"]["latest_block_height"]))
    return entry


def testnet_status(root: Path) -> dict[str, Any]:
    manifest = load_manifest(root)
    return {"chain_id": manifest.chain_id, "nodes": [get_node_status(n) for n in manifest.nodes]}


def format_status(status: dict[str, Any]) -> str:
    lines = [f"chain {status['chain_id']}"]
    for n in status["nodes"]:
        state = "down" if n.get("height") is None else ("catching up" if n["catching_up"] else "synced")
        lines.append(f"  {n['moniker']:<8} height {n.get('height')!s:<8} app_hash {n.get('app_hash') or '-'}  "
                     f"{state}  rpc {n['rpc']}  api {n['api']}")
    return "\n".join(lines)


def dump_json(obj: Any) -> str:
    return json.dumps(obj, indent=2)
