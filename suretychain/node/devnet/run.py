"""``surety devnet``: create or open the devnet home, then serve the API and produce blocks in one process."""
from __future__ import annotations

import asyncio
import signal
import sys
import time
from pathlib import Path
from typing import Callable

import uvicorn

from suretychain.node.runtime import configure_gc
from suretychain.node.devnet.home import DEFAULT_CHAIN_ID, DevnetHome, demo_accounts
from suretychain.node.devnet.node import KEEP_RECENT, DevnetNode


def parse_listen(listen: str) -> tuple[str, int]:
    """``HOST:PORT`` -> (host, port); ``ValueError`` if malformed."""
    host, sep, port = listen.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"--listen expects HOST:PORT, got {listen!r}")
    return host.strip("[]"), int(port)


def open_devnet(home_dir: Path, reset: bool = False, chain_id: str = DEFAULT_CHAIN_ID,
                keep_recent: int = KEEP_RECENT) -> tuple[DevnetNode, bool]:
    """Open the devnet at ``home_dir`` (creating genesis on first run); returns the node and whether it is new."""
    home = DevnetHome(home_dir)
    if reset:
        home.reset()
    created = not home.exists
    if created:
        home.create(chain_id, time.time_ns())
    return DevnetNode(home, keep_recent=keep_recent), created


def print_banner(node: DevnetNode, home: Path, listen: str, out: Callable[[str], None]) -> None:
    """Print the chain, the endpoints and the demo accounts with their mnemonics (Anvil style)."""
    status = node.status()
    out(f"Surety devnet  chain-id {status.chain_id}  height {status.latest_height}  home {home}")
    out(f"HTTP API http://{listen}  (OpenAPI docs /docs, metrics /metrics, stream /stream and /ws)")
    out("Demo accounts (test keys: never send real value to them), each 1,000,000 SRT and 1,000,000 USD:")
    for i, account in enumerate(demo_accounts()):
        out(f"  ({i}) {account.name:<6} {account.address}")
        out(f"      mnemonic: {account.mnemonic}")
    out(f"Keys are in the test keyring: surety keys list --home {home} --keyring-backend test")


async def serve(node: DevnetNode, host: str, port: int, block_time_s: float, ready: Callable[[], None] | None = None) -> None:
    """Run the API server and the block producer until SIGINT/SIGTERM, then stop both cleanly."""
    from suretychain.api.server import create_api

    api = create_api(node)
    config = uvicorn.Config(api, host=host, port=port, log_level="warning", lifespan="on", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]  # we handle signals below
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    server_task = asyncio.ensure_future(server.serve())
    producer = asyncio.ensure_future(node.run(block_time_s, stop))
    while not server.started and not server_task.done():
        await asyncio.sleep(0.02)
    if server_task.done():
        stop.set()
        await producer
        server_task.result()  # re-raise the bind error
        return
    if ready is not None:
        ready()
    await stop.wait()
    await producer
    server.should_exit = True
    await server_task


def run_devnet(home_dir: Path, block_time_s: float, listen: str, reset: bool, keep_recent: int = KEEP_RECENT) -> int:
    """The ``surety devnet`` command body; returns the exit status."""
    host, port = parse_listen(listen)
    node, created = open_devnet(home_dir, reset, keep_recent=keep_recent)
    configure_gc()  # the loaded state is long-lived; young objects are collected less often (node/runtime.py)
    try:
        print_banner(node, home_dir, listen, lambda s: print(s, flush=True))
        if not created:
            print(f"Continuing the chain from height {node.status().latest_height}", flush=True)
        asyncio.run(serve(node, host, port, block_time_s, ready=lambda: print("ready", flush=True)))
    finally:
        node.close()
    print("devnet stopped", file=sys.stderr, flush=True)
    return 0
