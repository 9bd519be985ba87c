"""Committed tx/s of Surety bank sends on a local 4-node CometBFT testnet, against CometBFT's built-in ``kvstore``
app on the same testnet shape, in the same run.

    python -m bench.testnet_throughput [--seconds 20] [--validators 4] [--inflight N] [--senders-per-node 16]

Both networks are made by ``surety testnet init`` (same ports layout, peers, fast timeouts, genesis); the kvstore
one runs ``cometbft start --proxy_app=kvstore`` on those homes instead of ``surety node start``. Load: ``--senders-per-node``
sender threads per node (Surety: each its own account, funded by the node's demo account in one multi-send before
the clock starts, and always sent to the same node, so its sequences stay in one mempool), ``broadcast_tx_sync`` as
fast as CheckTx answers, at most ``--inflight`` uncommitted txs per sender (default: 4,500 over all senders, under
CometBFT's mempool size, which would otherwise drop admitted txs; one synchronous sender per node leaves
the network waiting on broadcast round trips rather than measuring what it can commit). Every sender's first
``--presign`` txs are made (signed) before the clock starts, for both apps, so the load generator's own work on the
shared cores is only sending. Each Surety sender pays its own payee. Surety sends ask the gas ``--gas auto`` would
(one send simulated through ``abci_query app/simulate``, times the default adjustment) and pay the minimum fee for
it (a fixed over-ask would let the block gas limit, not the network, cap each block). kvstore txs are ``key=value``
of the same size as the Surety sends. A watcher polls node0 for new blocks: a tx's latency is the time from its broadcast
to the first poll that sees its block (poll period 50 ms). Throughput = txs committed during the ``--seconds`` of
load / ``--seconds``; Surety txs are counted only with result code 0.

Prints both rates, their ratio (target >= 0.5) and p50/p99 broadcast-to-commit latencies. With ``--abci-cli PATH``
(``go install github.com/cometbft/cometbft/abci/cmd/abci-cli@v0.38.25``) a third leg runs the same kvstore app in its
own process per node, reached over the node's ABCI TCP address as Surety is, and prints that ratio too: it shows
what CometBFT's socket transport costs (docs/cometbft.md, "Where cometbft's extra CPU goes"). With ``--floor`` a
leg runs ``bench.abci_floor`` (Surety's ABCI server with an app that only checks signatures) on every node with the
same Surety sends: the most a Python app that checks its txs gets from this CometBFT here (docs/cometbft.md, "The
floor"). For each leg it prints the cores each kind of process used during the load and the CPU per committed tx;
with the machine's cores used up, the ratio is about kvstore's CPU per tx over Surety's. ``--pprof DIR`` saves a CPU
profile of node0's cometbft per leg. Needs cometbft (``surety cometbft install``); every process started is stopped
(process groups) before it exits.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import httpx
import msgspec

from suretychain.client.keyring import mnemonic_to_private_key
from suretychain.client.txbuilder import DEFAULT_GAS_ADJUSTMENT, compute_adjusted_gas
from suretychain.core.crypto import PrivateKey, address_of
from suretychain.core.encoding import Address
from suretychain.core.tx import Coin, Fee, make_body, sign_tx
from suretychain.modules.bank.types import Input, MsgMultiSend, MsgSend, Output
from suretychain.node.cometbft.binary import require_cometbft
from suretychain.node.cometbft.home import NodeHome
from suretychain.node.cometbft.testnet import TestnetManifest, init_testnet, start_testnet, stop_node_process
from suretychain.node.devnet.home import demo_accounts

CHAIN_ID = "surety-bench-1"
POLL_S = 0.05
MIN_GAS_PRICE_MILLI = 1  # the genesis min_gas_price, 0.001 usrt per gas
SENDERS_PER_NODE = 16  # each waits for its CheckTx answer (a round trip through CometBFT's socket client): many
# per node keep the network, not the round trips, the limit
MEMPOOL_ROOM = 4500  # txs in flight over all senders: under CometBFT's mempool size (5,000), which every node's
# mempool fills with the whole network's txs; past it CometBFT drops txs the app has already admitted, and a sender's
# later sequences can then never commit
PRESIGN_TOTAL = 48_000  # txs made before the clock, over all senders: more than 20 s at kvstore's ~2,300 tx/s


def find_base_port(count: int) -> int:
    for base in range(42000, 60000, 290):
        ok = True
        for port in range(base, base + count):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    ok = False
                    break
        if ok:
            return base
    raise RuntimeError("no free port range")


def rpc_url(node) -> str:
    return "http://" + node.rpc.split("://")[-1]


@dataclass
class Run:
    sent: dict[bytes, float] = field(default_factory=dict)  # tx hash -> broadcast time
    committed: dict[bytes, float] = field(default_factory=dict)  # tx hash -> first seen in a block
    heights: list[int] = field(default_factory=list)
    rejected: int = 0
    reasons: dict[str, int] = field(default_factory=dict)  # refusal log (first 60 characters) -> count
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds during the load, by kind of process
    lock: threading.Lock = field(default_factory=threading.Lock)


def wait_height(url: str, height: int, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            status = httpx.get(f"{url}/status", timeout=3).json()["result"]["sync_info"]
            if int(status["latest_block_height"]) >= height:
                return
        except (httpx.HTTPError, KeyError, ValueError):
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not reach height {height} in {timeout_s}s")


def watch_blocks(url: str, run: Run, stop: threading.Event) -> None:
    """Poll node0 for new blocks; record when each of our txs is first seen committed."""
    client = httpx.Client(timeout=5)
    last = int(client.get(f"{url}/status").json()["result"]["sync_info"]["latest_block_height"])
    while not stop.is_set():
        try:
            top = int(client.get(f"{url}/status").json()["result"]["sync_info"]["latest_block_height"])
            for height in range(last + 1, top + 1):
                block = client.get(f"{url}/block", params={"height": height}).json()["result"]["block"]
                now = time.monotonic()
                with run.lock:
                    run.heights.append(height)
                    for tx in block["data"].get("txs") or []:
                        digest = hashlib.sha256(base64.b64decode(tx)).digest()
                        if digest in run.sent and digest not in run.committed:
                            run.committed[digest] = now
            last = max(last, top)
        except (httpx.HTTPError, KeyError, ValueError):
            pass
        stop.wait(POLL_S)


def broadcast_sync(connection: http.client.HTTPConnection, tx: bytes) -> dict:
    """``broadcast_tx_sync`` over one kept-alive connection (http.client: a fraction of httpx's CPU per request,
    which matters when dozens of senders share this process and its two cores with the network under test)."""
    connection.request("GET", f"/broadcast_tx_sync?tx=0x{tx.hex()}")
    response = connection.getresponse()
    return json.loads(response.read())


def send_loop(url: str, make_tx: Callable[[int], bytes], run: Run, stop: threading.Event, inflight: int) -> None:
    host, _, port = url.split("://")[-1].rpartition(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    index = 0
    mine: list[bytes] = []
    while not stop.is_set():
        with run.lock:
            pending = sum(1 for h in mine[-inflight * 2:] if h not in run.committed)
        if pending >= inflight:
            time.sleep(0.01)
            continue
        tx = make_tx(index)
        digest = hashlib.sha256(tx).digest()
        started = time.monotonic()
        try:
            reply = broadcast_sync(connection, tx)
        except (OSError, http.client.HTTPException, ValueError):
            connection.close()  # reconnects on the next request
            continue
        result = reply.get("result") or {}
        if reply.get("error") or int(result.get("code", 1)) != 0:
            reason = str(reply.get("error") or result.get("log", ""))[:60]
            with run.lock:
                run.rejected += 1
                run.reasons[reason] = run.reasons.get(reason, 0) + 1
            time.sleep(0.05)
            if "sequence" in str(result.get("log", "")):
                index += 1  # skip: a sequence that went wrong will not be retried
            continue
        with run.lock:
            run.sent[digest] = started
        mine.append(digest)
        index += 1


def profile_cometbft(port: int, seconds: float, out: Path) -> threading.Thread:
    """Fetch a ``seconds``-long CPU profile of the cometbft serving pprof on ``port`` into ``out``, in a thread."""
    def fetch() -> None:
        try:
            reply = httpx.get(f"http://127.0.0.1:{port}/debug/pprof/profile", params={"seconds": int(seconds)},
                              timeout=seconds + 30)
            out.write_bytes(reply.content)
            print(f"  cometbft CPU profile of node0: {out} (go tool pprof -top {out})")
        except httpx.HTTPError as exc:
            print(f"  cometbft CPU profile of node0 failed: {exc}")

    thread = threading.Thread(target=fetch, daemon=True)
    thread.start()
    return thread


def measure(nodes, make_txs: list[Callable[[int], bytes]], seconds: float, inflight: int, cpu_marker: str = "",
            pprof: tuple[int, Path] | None = None, app_pids: frozenset[int] = frozenset()) -> tuple[Run, float, float]:
    run = Run()
    stop_watch, stop_send = threading.Event(), threading.Event()
    watcher = threading.Thread(target=watch_blocks, args=(rpc_url(nodes[0]), run, stop_watch), daemon=True)
    watcher.start()
    per_node = len(make_txs) // len(nodes)  # the makers come node by node
    senders = [threading.Thread(target=send_loop, args=(rpc_url(nodes[i // per_node]), make_tx, run, stop_send,
                                                        inflight), daemon=True)
               for i, make_tx in enumerate(make_txs)]
    start = time.monotonic()
    cpu_before, own_before = read_cpu_seconds(cpu_marker, app_pids), os.times()
    for thread in senders:
        thread.start()
    profiler = profile_cometbft(pprof[0], max(1.0, seconds - 4), pprof[1]) if pprof else None
    time.sleep(seconds)
    stop_send.set()
    end = time.monotonic()
    if cpu_marker:
        own, after = os.times(), read_cpu_seconds(cpu_marker, app_pids)
        run.cpu = {kind: after[kind] - cpu_before.get(kind, 0.0) for kind in sorted(after)}
        run.cpu["load generator"] = own.user + own.system - own_before.user - own_before.system
        print("  cores used during the load: " + ", ".join(f"{kind} {used / (end - start):.2f}"
                                                          for kind, used in run.cpu.items())
              + f" (machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})")
    for thread in senders:
        thread.join(15)
    drain = time.monotonic() + 10
    while time.monotonic() < drain:
        with run.lock:
            if len(run.committed) >= len(run.sent):
                break
        time.sleep(0.2)
    stop_watch.set()
    watcher.join(10)
    if profiler is not None:
        profiler.join(30)
    return run, start, end


def read_cpu_seconds(marker: str, app_pids: frozenset[int] = frozenset()) -> dict[str, float]:
    """CPU seconds (user + system) so far of every process whose command line contains ``marker`` or whose pid is in
    ``app_pids`` (apps the bench started itself), by kind (``cometbft``, ``app`` for the Surety nodes and the apps of
    ``app_pids``, ``sig-helper``); empty where /proc is not there (not Linux)."""
    totals: dict[str, float] = {}
    if not marker:
        return totals
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
        tick = os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, AttributeError):
        return totals
    for pid in pids:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                command = f.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if not command.strip() or (marker not in command and "suretychain.node.sigverify" not in command
                                   and int(pid) not in app_pids):
            continue
        kind = "sig-helper" if "suretychain.node.sigverify" in command else \
            "cometbft" if os.path.basename(command.split()[0]) == "cometbft" else "app"
        totals[kind] = totals.get(kind, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return totals


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def sender_keys(node: int, count: int) -> list[PrivateKey]:
    """The bench's own sender accounts for one node (funded by that node's demo account before the load)."""
    return [PrivateKey.from_seed(hashlib.sha256(f"surety-bench-sender/{node}/{i}".encode()).digest())
            for i in range(count)]


def fund_senders(nodes, per_node: int) -> None:
    """Each node's demo account pays its senders in one multi-send, committed before the clock starts."""
    each = [Coin(denom="usrt", amount=10**10), Coin(denom="uusd", amount=10**10)]
    for index, (node, account) in enumerate(zip(nodes, demo_accounts())):
        payer = mnemonic_to_private_key(account.mnemonic)
        payer_address = Address.from_raw(address_of(payer.public_key.raw))
        outputs = [Output(address=Address.from_raw(address_of(k.public_key.raw)), coins=each)
                   for k in sender_keys(index, per_node)]
        total = [Coin(denom=c.denom, amount=c.amount * per_node) for c in each]
        msg = MsgMultiSend(inputs=[Input(address=payer_address, coins=total)], outputs=outputs)
        tx = sign_tx(make_body(CHAIN_ID, [msg], payer_address, payer.public_key.raw, 0,
                               Fee(amount=[Coin(denom="usrt", amount=2000)], gas_limit=2_000_000)), payer)
        reply = httpx.get(f"{rpc_url(node)}/broadcast_tx_commit", params={"tx": "0x" + tx.hex()}, timeout=60).json()
        result = reply.get("result") or {}
        if reply.get("error") or int((result.get("tx_result") or {}).get("code", 1)) != 0:
            raise RuntimeError(f"funding the senders of node {index} failed: {reply}")


def make_send(key: PrivateKey, sequence: int, gas_limit: int) -> bytes:
    """One signed send of 1uusd to the sender's own payee, paying the minimum fee for ``gas_limit``. Each sender pays
    its own payee (as users pay different people), so the sends of different senders are independent txs, like
    kvstore's txs with their distinct keys."""
    sender = Address.from_raw(address_of(key.public_key.raw))
    payee = Address.from_raw(hashlib.sha256(b"payee" + sender.raw).digest()[:20])
    msg = MsgSend(from_address=sender, to_address=payee, amount=[Coin(denom="uusd", amount=1)])
    fee = Fee(amount=[Coin(denom="usrt", amount=-(-gas_limit * MIN_GAS_PRICE_MILLI // 1000))], gas_limit=gas_limit)
    return sign_tx(make_body(CHAIN_ID, [msg], sender, key.public_key.raw, sequence, fee), key)


def compute_send_gas(node) -> int:
    """The gas limit ``--gas auto`` would pick for these sends: the simulated gas times the default adjustment."""
    key = sender_keys(0, 1)[0]
    reply = httpx.get(f"{rpc_url(node)}/abci_query", params={"path": '"app/simulate"',
                                                           "data": "0x" + make_send(key, 0, 10**6).hex()},
                      timeout=30).json()
    result = msgspec.json.decode(base64.b64decode(reply["result"]["response"]["value"]))
    if result.get("code", 0) != 0:
        raise RuntimeError(f"simulating a send failed: {result}")
    return compute_adjusted_gas(result["gas_used"], DEFAULT_GAS_ADJUSTMENT)


def presign(makers: list[Callable[[int], bytes]], each: int) -> list[Callable[[int], bytes]]:
    """The first ``each`` txs of every maker made before the clock starts (signing is the client's work, not the
    network's); a sender that gets past them makes the rest as it goes."""
    def pooled(make: Callable[[int], bytes]) -> Callable[[int], bytes]:
        pool = [make(i) for i in range(each)]
        return lambda index: pool[index] if index < len(pool) else make(index)

    return [pooled(make) for make in makers]


def surety_tx_makers(count: int, per_node: int, gas_limit: int) -> list[Callable[[int], bytes]]:
    """``per_node`` senders for each of ``count`` nodes, node by node: one account each, so sequences stay in order."""
    return [lambda sequence, key=key: make_send(key, sequence, gas_limit)
            for node in range(count) for key in sender_keys(node, per_node)]


def kvstore_tx_makers(count: int, size: int) -> list[Callable[[int], bytes]]:
    """``count`` senders' ``key=value`` txs of ``size`` bytes, each key unique."""
    def maker(sender: int):
        def make(index: int) -> bytes:
            key = f"s{sender}-{index}-{os.urandom(4).hex()}="
            return (key + "v" * max(1, size - len(key))).encode()
        return make

    return [maker(i) for i in range(count)]


def count_ok_surety(nodes, run: Run, start: float, end: float) -> int:
    """Surety txs committed in [start, end] whose result code is 0 (read from block_results)."""
    url = rpc_url(nodes[0])
    window = {h for h, t in run.committed.items() if start <= t <= end}
    ok = 0
    for height in sorted(set(run.heights)):
        block = httpx.get(f"{url}/block", params={"height": height}, timeout=10).json()["result"]["block"]
        txs = block["data"].get("txs") or []
        if not txs:
            continue
        results = httpx.get(f"{url}/block_results", params={"height": height}, timeout=10).json()["result"]
        for tx, result in zip(txs, results.get("txs_results") or []):
            if hashlib.sha256(base64.b64decode(tx)).digest() in window and int(result.get("code") or 0) == 0:
                ok += 1
    return ok


def report(name: str, run: Run, start: float, end: float, ok: int | None = None) -> dict[str, float]:
    seconds = end - start
    in_window = [h for h, t in run.committed.items() if start <= t <= end]
    committed = len(in_window) if ok is None else ok
    latencies = [run.committed[h] - run.sent[h] for h in run.committed]
    figures = {"tps": committed / seconds, "p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99),
               "sent": len(run.sent), "committed": committed, "rejected": run.rejected}
    print(f"{name:<8} {figures['tps']:8.1f} committed tx/s  ({committed} in {seconds:.1f}s; {len(run.sent)} "
          f"broadcast, {run.rejected} refused by CheckTx)  broadcast->commit p50 {figures['p50'] * 1000:.0f} ms, "
          f"p99 {figures['p99'] * 1000:.0f} ms")
    if run.cpu and committed:
        figures["cpu_ms_per_tx"] = 1000 * sum(run.cpu.values()) / committed
        print("  CPU per committed tx, over all nodes: " + ", ".join(f"{kind} {1000 * used / committed:.2f} ms"
                                                                   for kind, used in run.cpu.items())
              + f"; in all {figures['cpu_ms_per_tx']:.2f} ms")
    if run.reasons:
        top = sorted(run.reasons.items(), key=lambda item: -item[1])[:3]
        print("  refusals: " + "; ".join(f"{count} x {reason!r}" for reason, count in top))
    return figures


def kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def run_kvstore(root: Path, binary: Path, args: argparse.Namespace, tx_size: int,
                abci_cli: str | None = None) -> dict[str, float]:
    """The kvstore leg: CometBFT's built-in kvstore in each node's process (``--proxy_app=kvstore``), or, with
    ``abci_cli``, the same kvstore app run by ``abci-cli kvstore`` in a process of its own on the node's ABCI
    address (CometBFT then reaches it over its socket client, as it reaches Surety)."""
    makers = kvstore_tx_makers(args.validators * args.senders_per_node, tx_size)
    app = (lambda address: [abci_cli, "kvstore", "--address", address, "--log_level", "error"]) if abci_cli else None
    return run_cometbft_leg(root, binary, args, makers, app)


def run_floor(root: Path, binary: Path, args: argparse.Namespace, gas_limit: int) -> dict[str, float]:
    """The floor leg: ``bench.abci_floor`` (signature checks only) on each node's ABCI address, loaded with the
    same signed Surety sends."""
    makers = surety_tx_makers(args.validators, args.senders_per_node, gas_limit)
    return run_cometbft_leg(root, binary, args, makers,
                            lambda address: [sys.executable, "-m", "bench.abci_floor", "--address", address])


def run_cometbft_leg(root: Path, binary: Path, args: argparse.Namespace, makers: list[Callable[[int], bytes]],
                     app: Callable[[str], list[str]] | None) -> dict[str, float]:
    """A testnet made by ``init_testnet`` whose nodes run ``cometbft start`` with ``app(abci_address)`` as the
    ABCI app in a process of its own, or (``app`` None) with the built-in kvstore; loaded with ``makers``."""
    manifest, pprof = init_leg(root, args)
    procs, app_pids = [], set()
    try:
        for node in manifest.nodes:
            home = NodeHome(Path(node.home))
            log = open(home.logs / "cometbft-leg.log", "ab")
            command = [str(binary), "start", "--home", str(home.cometbft)]
            if app:
                procs.append(subprocess.Popen(app(home.load_config().abci), stdout=log, stderr=subprocess.STDOUT,
                                              stdin=subprocess.DEVNULL, start_new_session=True))
                app_pids.add(procs[-1].pid)
                time.sleep(0.5)
            else:
                command.append("--proxy_app=kvstore")
            procs.append(subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                          start_new_session=True))
            log.close()
        wait_height(rpc_url(manifest.nodes[0]), 3, 120)
        run, start, end = measure(manifest.nodes, presign(makers, args.presign), args.seconds, args.inflight,
                                  cpu_marker=str(root), pprof=pprof, app_pids=frozenset(app_pids))
        return report(root.name, run, start, end)
    finally:
        for proc in procs:
            kill_group(proc)


def init_leg(root: Path, args: argparse.Namespace) -> tuple[TestnetManifest, tuple[int, Path] | None]:
    """A leg's testnet homes (``init_testnet`` on free ports, no snapshots) and, with ``--pprof DIR``, node0's cometbft
    set to serve Go's profiler on the port after the nodes' (``rpc.pprof_laddr``): (port, ``DIR/LEG.pprof``)."""
    base = find_base_port(10 * args.validators + 1)  # the nodes' ports, then pprof's
    manifest = init_testnet(root, args.validators, chain_id=CHAIN_ID, base_port=base, snapshot_interval=0)
    if not args.pprof:
        return manifest, None
    port = base + 10 * args.validators
    NodeHome(Path(manifest.nodes[0].home)).edit_cometbft_config("rpc", {"pprof_laddr": f"127.0.0.1:{port}"})
    Path(args.pprof).mkdir(parents=True, exist_ok=True)
    return manifest, (port, Path(args.pprof) / f"{root.name}.pprof")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--validators", type=int, default=4)
    parser.add_argument("--inflight", type=int, default=0,
                        help=f"uncommitted txs per sender (default: {MEMPOOL_ROOM} over all senders)")
    parser.add_argument("--senders-per-node", type=int, default=SENDERS_PER_NODE)
    parser.add_argument("--presign", type=int, default=0,
                        help=f"txs made per sender before the clock starts (default: {PRESIGN_TOTAL} over all senders)")
    parser.add_argument("--abci-cli", default="",
                        help="path of abci-cli (go install github.com/cometbft/cometbft/abci/cmd/abci-cli@v0.38.25): "
                             "also run kvstore in its own process over an ABCI socket, and print that ratio too")
    parser.add_argument("--floor", action="store_true",
                        help="also run bench.abci_floor (signature checks only) with the Surety sends, and print "
                             "its ratio: the most a Python app checking signatures gets here")
    parser.add_argument("--pprof", default="", metavar="DIR",
                        help="save a CPU profile of node0's cometbft during each leg's load in DIR (LEG.pprof)")
    args = parser.parse_args()
    senders = args.validators * args.senders_per_node
    args.presign = args.presign or -(-PRESIGN_TOTAL // senders)
    args.inflight = args.inflight or max(1, MEMPOOL_ROOM // senders)
    binary = require_cometbft()
    with tempfile.TemporaryDirectory(prefix="surety-bench-") as tmp:
        # ---- Surety ----
        root = Path(tmp) / "surety"
        manifest, pprof = init_leg(root, args)
        start_testnet(root)
        try:
            wait_height(rpc_url(manifest.nodes[0]), 3, 120)
            fund_senders(manifest.nodes, args.senders_per_node)
            gas_limit = compute_send_gas(manifest.nodes[0])
            makers = presign(surety_tx_makers(args.validators, args.senders_per_node, gas_limit), args.presign)
            tx_size = len(makers[0](0))
            run, start, end = measure(manifest.nodes, makers, args.seconds, args.inflight, cpu_marker=str(root),
                                      pprof=pprof)
            surety = report("surety", run, start, end, count_ok_surety(manifest.nodes, run, start, end))
        finally:
            for node in manifest.nodes:
                stop_node_process(NodeHome(Path(node.home)), grace_s=10)
        # ---- kvstore on the same testnet shape ----
        kv = run_kvstore(Path(tmp) / "kvstore", binary, args, tx_size)
        socket_kv = run_kvstore(Path(tmp) / "kvstore-socket", binary, args, tx_size, args.abci_cli) \
            if args.abci_cli else None
        floor = run_floor(Path(tmp) / "floor", binary, args, gas_limit) if args.floor else None
    ratio = surety["tps"] / kv["tps"] if kv["tps"] else float("nan")
    print(f"tx size {tx_size} bytes, {args.validators} validators, {args.senders_per_node} senders per node, "
          f"{args.seconds:.0f}s of load each; Surety sends ask {gas_limit} gas (simulated x {DEFAULT_GAS_ADJUSTMENT}, "
          f"as --gas auto does)")
    print(f"ratio surety/kvstore = {ratio:.2f} (target >= 0.5: {'met' if ratio >= 0.5 else 'NOT met'})")
    if socket_kv is not None and socket_kv["tps"]:
        print(f"ratio surety/kvstore over an ABCI socket = {surety['tps'] / socket_kv['tps']:.2f} (for comparison: "
              f"the same kvstore app in its own process, reached over TCP as Surety is)")
    if floor is not None and floor["tps"]:
        print(f"ratio floor/kvstore = {floor['tps'] / kv['tps']:.2f}, "
              f"surety/floor = {surety['tps'] / floor['tps']:.2f} (the floor: a Python app on Surety's ABCI server "
              f"checking only signatures, bench/abci_floor.py)")
    if all("cpu_ms_per_tx" in leg for leg in (surety, kv)):
        legs = [(name, leg) for name, leg in (("surety", surety), ("kvstore", kv), ("kvstore over a socket", socket_kv),
                                              ("floor", floor)) if leg and "cpu_ms_per_tx" in leg]
        print("CPU per committed tx (all processes of the leg, the load generator included): "
              + ", ".join(f"{name} {leg['cpu_ms_per_tx']:.2f} ms" for name, leg in legs)
              + f"; with the cores used up, the target ratio needs surety <= {2 * kv['cpu_ms_per_tx']:.2f} ms")


if __name__ == "__main__":
    main()
