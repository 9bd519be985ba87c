"""The ABCI socket server: CometBFT dials it four times (query, snapshot, mempool, consensus connections).

Each connection's requests are answered one after the other, so responses go back in request order, as CometBFT's
socket client requires. All connections share one asyncio loop (one thread), so the App is only ever called from
that thread: its calls never overlap. A ``Flush`` request drains the writer.

A connection's run of requests is answered in slices of about ``SLICE_S`` (5 ms) of work, the answers so far written
at the end of each slice, and the loop serves the other connections between slices. Under load the mempool
connection brings hundreds of CheckTx at once (RPC broadcasts, gossip and the re-checks after each block); answered
in one go, they held a ProcessProposal or FinalizeBlock on the consensus connection for up to 0.9 s on the 4-node
testnet of ``bench.testnet_throughput``, and every node's prevote, and so the whole block, waited for it. With slices
a consensus request waits at most about two slices; on that testnet the time from a complete proposal to its commit
went from 1.3 s to 0.6 s, and broadcast-to-commit latency from p50/p99 4.0-4.5/9.9 s to 2.9-4.0/4.9-7.1 s
(docs/cometbft.md, "Benchmark"). The slices are node-local scheduling: the App sees the same calls, each whole, in
each connection's order, and CometBFT itself sends Commit only once every CheckTx it sent before has its answer.

Listen addresses use CometBFT's syntax: ``tcp://127.0.0.1:26658`` or ``unix:///path/to/app.sock``.

Test-only fault injection: with ``SURETY_ABCI_CRASH_BEFORE_COMMIT_HEIGHT=H`` in the environment, the server kills
its own process (SIGKILL, no cleanup) when the Commit request of block ``H`` arrives, i.e. after FinalizeBlock of
``H`` and before the App persists it, so the e2e tests can check CometBFT's handshake replay. Unset (or empty), it
does nothing. Never set it on a real node.
"""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from time import perf_counter
from typing import Callable, Mapping

from suretychain.node.abci import surety_abci_pb2 as pb
from suretychain.node.abci.application import AbciApplication, ConsensusFailure
from suretychain.node.abci.framing import FramingError, decode_frames, encode_frame

log = logging.getLogger("surety.abci")

READ_BYTES = 256 * 1024
SLICE_S = 0.005  # a connection's run of requests is answered in slices of about this much work (docstring)
CRASH_BEFORE_COMMIT_ENV = "SURETY_ABCI_CRASH_BEFORE_COMMIT_HEIGHT"


def read_crash_height(environ: Mapping[str, str] = os.environ) -> int | None:
    """The test-only crash height from ``SURETY_ABCI_CRASH_BEFORE_COMMIT_HEIGHT`` (None when unset or empty)."""
    raw = environ.get(CRASH_BEFORE_COMMIT_ENV, "").strip()
    if not raw:
        return None
    try:
        height = int(raw)
    except ValueError:
        raise ValueError(f"{CRASH_BEFORE_COMMIT_ENV} must be a block height, got {raw!r}") from None
    if height < 1:
        raise ValueError(f"{CRASH_BEFORE_COMMIT_ENV} must be >= 1, got {height}")
    return height


def _crash_now(height: int) -> None:
    """The fault injected by ``SURETY_ABCI_CRASH_BEFORE_COMMIT_HEIGHT``: die at once, like a power cut."""
    log.critical("%s=%d: killing this process before Commit of block %d (test fault injection)",
                 CRASH_BEFORE_COMMIT_ENV, height, height)
    for handler in logging.getLogger("surety").handlers:
        handler.flush()
    print(f"{CRASH_BEFORE_COMMIT_ENV}={height}: crashing before Commit of block {height}", file=sys.stderr,
          flush=True)
    os.kill(os.getpid(), signal.SIGKILL)


def _exit_loudly(exc: BaseException) -> None:
    """Default reaction to a consensus failure: log and end the process with status 1."""
    log.critical("consensus failure, stopping the node: %s", exc)
    print(f"FATAL: consensus failure, stopping the node: {exc}", file=sys.stderr, flush=True)
    os._exit(1)


class AbciServer:
    """Serves one :class:`AbciApplication` on ``address`` (``tcp://HOST:PORT`` or ``unix://PATH``)."""

    def __init__(self, application: AbciApplication, address: str,
                 on_fatal: Callable[[BaseException], None] = _exit_loudly,
                 crash_before_commit_height: int | None = None) -> None:
        self.application = application
        self.crash_before_commit_height = crash_before_commit_height  # test-only fault (module docstring)
        self.address = address
        self.on_fatal = on_fatal
        self.connections = 0
        self._server: asyncio.base_events.Server | None = None
        self.failed: BaseException | None = None

    async def start(self) -> None:
        """Bind and start accepting connections."""
        scheme, _, rest = self.address.partition("://")
        if scheme == "unix":
            path = Path(rest)
            if path.exists():
                path.unlink()
            path.parent.mkdir(parents=True, exist_ok=True)
            self._server = await asyncio.start_unix_server(self._serve_connection, path=str(path))
        elif scheme == "tcp":
            host, _, port = rest.rpartition(":")
            self._server = await asyncio.start_server(self._serve_connection, host=host.strip("[]"), port=int(port))
        else:
            raise ValueError(f"ABCI address must be tcp://HOST:PORT or unix://PATH, got {self.address!r}")
        log.info("ABCI server listening on %s", self.address)

    @property
    def port(self) -> int:
        """The bound TCP port (useful with port 0)."""
        assert self._server is not None
        return self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        number = self.connections
        buffer = bytearray()
        try:
            while True:
                data = await reader.read(READ_BYTES)
                if not data:
                    return
                buffer.extend(data)
                requests = []
                for raw in decode_frames(buffer):
                    request = pb.Request()
                    request.ParseFromString(raw)
                    requests.append(request)
                self.application.prefetch_check_tx(requests)
                out: list[bytes] = []  # answers not yet written: sent at a Flush, a slice's end, the read's end
                slice_end = perf_counter() + SLICE_S
                for request in requests:
                    kind = request.WhichOneof("value")
                    if self.crash_before_commit_height is not None and kind == "commit" \
                            and self.application.last_finalized_height == self.crash_before_commit_height:
                        _crash_now(self.crash_before_commit_height)
                    out.append(encode_frame(self.application.handle(request).SerializeToString()))
                    if kind == "flush":
                        writer.write(b"".join(out))
                        out.clear()
                        await writer.drain()
                    elif perf_counter() > slice_end:  # a slice is done: let the other connections in (module docstring)
                        writer.write(b"".join(out))
                        out.clear()
                        await asyncio.sleep(0)
                        slice_end = perf_counter() + SLICE_S
                if out:
                    writer.write(b"".join(out))
        except ConsensusFailure as exc:
            self.failed = exc
            self.on_fatal(exc)
        except (FramingError, ConnectionError) as exc:
            log.warning("ABCI connection %d closed: %s", number, exc)
        except Exception as exc:  # a decode error or a bug: this connection cannot go on
            log.exception("ABCI connection %d failed", number)
            self.failed = exc
            self.on_fatal(exc)
        finally:
            writer.close()


class ServerThread:
    """Runs an :class:`AbciServer` on its own asyncio loop in a daemon thread (the API has its own loop)."""

    def __init__(self, server: AbciServer) -> None:
        self.server = server
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="abci-server", daemon=True)

    def start(self, timeout_s: float = 10.0) -> None:
        self.thread.start()
        if not self._ready.wait(timeout_s):
            raise RuntimeError("ABCI server did not start")
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self.server.start())
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        self.loop.run_forever()

    def stop(self) -> None:
        if not self.thread.is_alive():
            return
        fut = asyncio.run_coroutine_threadsafe(self.server.stop(), self.loop)
        try:
            fut.result(5)
        except Exception:
            pass
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
