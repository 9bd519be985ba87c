"""``surety node start``: the ABCI server, the CometBFT process and the HTTP API, supervised together.

- The ABCI server runs on its own asyncio loop in a thread (all App calls happen there, one at a time).
- CometBFT runs as a child process (``cometbft start --proxy_app <abci>``), in our process group, with its output
  in ``logs/cometbft.log``; on Linux it also gets SIGTERM if this process dies.
- The HTTP API (``--api``) serves a :class:`CometRpcBackend` over the local CometBFT RPC.

SIGINT/SIGTERM stop CometBFT (SIGTERM, then SIGKILL after a grace period) and the API, then the ABCI server.
If CometBFT exits on its own, the node stops with a non-zero status; if a consensus call fails in the App, the
node logs it, stops CometBFT and exits with status 1 (halting rather than diverging).
"""
from __future__ import annotations

import asyncio
import ctypes
import json
import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from functools import partial
from typing import Callable

from suretychain.node.runtime import configure_gc
from suretychain.app import make_app
from suretychain.core.store import CommitStore
from suretychain.node.abci.application import AbciApplication, AbciConfig
from suretychain.node.abci.server import CRASH_BEFORE_COMMIT_ENV, AbciServer, ServerThread, read_crash_height
from suretychain.node.abci.snapshots import SnapshotStore
from suretychain.node.cometbft.binary import require_cometbft
from suretychain.core.crypto import address_of
from suretychain.node.cometbft.home import NodeHome, read_consensus_pubkey

log = logging.getLogger("surety.node")

STOP_GRACE_S = 10.0
PR_SET_PDEATHSIG = 1


def get_version() -> str:
    try:
        from importlib.metadata import version

        return version("suretychain")
    except Exception:  # noqa: BLE001
        return "0"


def _die_with_parent() -> None:
    """In the CometBFT child, before exec: ask Linux to SIGTERM it when the supervisor dies."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


def setup_logging(home: NodeHome) -> None:
    home.logs.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(home.logs / "node.log")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("surety")
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(logging.WARNING)
    root.addHandler(stderr)


class CometProcess:
    """The CometBFT child process."""

    def __init__(self, home: NodeHome, proxy_app: str) -> None:
        self.home = home
        self.proxy_app = proxy_app
        self.proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        binary = require_cometbft()
        logfile = open(self.home.logs / "cometbft.log", "ab")
        self.proc = subprocess.Popen([str(binary), "start", "--home", str(self.home.cometbft), "--proxy_app",
                                      self.proxy_app], stdout=logfile, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
        logfile.close()
        log.info("cometbft started, pid %d", self.proc.pid)

    def poll(self) -> int | None:
        return None if self.proc is None else self.proc.poll()

    def stop(self, grace_s: float = STOP_GRACE_S) -> int | None:
        """SIGTERM, wait up to ``grace_s``, then SIGKILL; return the exit status."""
        with self._lock:
            if self.proc is None:
                return None
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(grace_s)
                except subprocess.TimeoutExpired:
                    log.warning("cometbft did not stop in %.0fs: killing it", grace_s)
                    self.proc.kill()
                    self.proc.wait()
            return self.proc.returncode


def load_vrf_keys(home: NodeHome) -> dict[bytes, bytes]:
    """This node's VRF key by its validator's consensus address (``vrf_key.json`` beside ``priv_validator_key.json``),
    for proposing beacon entries; empty when the home has either file missing (the node still validates)."""
    path = home.root / "vrf_key.json"
    if not path.exists() or not (home.cometbft / "config" / "priv_validator_key.json").exists():
        return {}
    seed = bytes.fromhex(json.loads(path.read_text())["seed"])
    return {address_of(read_consensus_pubkey(home)): seed}


def open_application(home: NodeHome) -> AbciApplication:
    config = home.load_config()
    store = CommitStore(str(home.state_db), keep_recent=config.keep_recent)
    snapshots = SnapshotStore(home.snapshots, chunk_bytes=config.snapshot_chunk_bytes, keep=config.snapshot_keep)
    abci_config = AbciConfig(snapshot_interval=config.snapshot_interval, snapshot_keep=config.snapshot_keep,
                             snapshot_chunk_bytes=config.snapshot_chunk_bytes)
    build = partial(make_app, vrf_keys=load_vrf_keys(home))
    return AbciApplication(build(store), snapshots, abci_config, make_app=build, version=get_version())


def rpc_http_url(laddr: str) -> str:
    """``tcp://127.0.0.1:26657`` -> ``http://127.0.0.1:26657`` (0.0.0.0 becomes 127.0.0.1)."""
    hostport = laddr.split("://", 1)[-1].replace("0.0.0.0", "127.0.0.1")
    return f"http://{hostport}"


def run_node(root: Path, api: str | None = None, out: Callable[[str], None] = print) -> int:
    """The ``surety node start`` body; returns the exit status."""
    home = NodeHome(root)
    if not home.exists:
        raise FileNotFoundError(f"{home.root} is not a node home: run `surety node init --home {root}` first")
    config = home.load_config()
    lock = acquire_home_lock(home)
    setup_logging(home)
    application = open_application(home)
    configure_gc()  # after loading: see node/runtime.py
    comet = CometProcess(home, config.abci)

    def fatal(exc: BaseException) -> None:
        log.critical("consensus failure, stopping the node: %s", exc)
        print(f"FATAL: consensus failure, stopping the node: {exc}", file=sys.stderr, flush=True)
        comet.stop(grace_s=5)
        os._exit(1)

    crash_height = read_crash_height()  # test-only fault injection (see suretychain/node/abci/server.py)
    if crash_height is not None:
        log.warning("%s=%d is set: this node will crash before Commit of block %d (test-only switch)",
                    CRASH_BEFORE_COMMIT_ENV, crash_height, crash_height)
    server = ServerThread(AbciServer(application, config.abci, on_fatal=fatal,
                                     crash_before_commit_height=crash_height))
    server.start()
    comet.start()
    listen = config.api if api is None else api
    out(f"Surety node {config.moniker}: ABCI {config.abci}, CometBFT RPC {rpc_http_url(config.rpc)}, "
        f"API {'http://' + listen if listen else 'off'}, logs {home.logs}")
    try:
        status = asyncio.run(supervise(comet, rpc_http_url(config.rpc), listen))
    finally:
        comet.stop()
        server.stop()
        application.app.store.close()
    log.info("node stopped with status %d", status)
    lock.close()
    return status


def acquire_home_lock(home: NodeHome):  # noqa: ANN201
    """An exclusive lock on ``<home>/node.lock`` for this process's lifetime: one node per home."""
    import fcntl

    handle = open(home.root / "node.lock", "w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise FileExistsError(f"a node is already running on {home.root}") from None
    return handle


async def supervise(comet: CometProcess, rpc_url: str, listen: str) -> int:
    """Serve the API (if any) until a signal or CometBFT's exit; return the node's exit status."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    server = server_task = None
    if listen:
        import uvicorn

        from suretychain.api.server import create_api
        from suretychain.node.cometbft.backend import CometRpcBackend
        from suretychain.node.devnet.run import parse_listen

        host, port = parse_listen(listen)
        api = create_api(CometRpcBackend(rpc_url))
        server = uvicorn.Server(uvicorn.Config(api, host=host, port=port, log_level="warning",
                                               timeout_graceful_shutdown=2))
        server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
        server_task = asyncio.ensure_future(server.serve())
    status = 0
    while not stop.is_set():
        code = comet.poll()
        if code is not None:
            log.error("cometbft exited with status %d", code)
            print(f"cometbft exited with status {code}; see logs/cometbft.log", file=sys.stderr, flush=True)
            status = code or 1
            break
        if server_task is not None and server_task.done():
            log.error("the API server stopped: %s", server_task.exception())
            status = 1
            break
        try:
            await asyncio.wait_for(stop.wait(), 0.2)
        except asyncio.TimeoutError:
            pass
    await loop.run_in_executor(None, comet.stop)
    if server is not None and server_task is not None and not server_task.done():
        server.should_exit = True
        await server_task
    return status
