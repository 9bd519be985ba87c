"""The socket server: pipelined requests answered in order, over TCP and unix sockets, four connections."""
from __future__ import annotations

import asyncio
import socket
import threading
import time

import pytest

from abci_helpers import init_chain_request, make_application
from suretychain.node.abci import surety_abci_pb2 as pb
from suretychain.node.abci.framing import decode_frames, encode_frame
from suretychain.node.abci.server import AbciServer


async def exchange(reader, writer, requests):
    writer.write(b"".join(encode_frame(r.SerializeToString()) for r in requests))
    await writer.drain()
    buffer, responses = bytearray(), []
    while len(responses) < len(requests):
        data = await asyncio.wait_for(reader.read(65536), 5)
        assert data, "server closed the connection"
        buffer.extend(data)
        for raw in decode_frames(buffer):
            response = pb.Response()
            response.ParseFromString(raw)
            responses.append(response)
    return responses


async def run_session(address_of):
    server = AbciServer(make_application(), address_of("start"))
    await server.start()
    try:
        address = address_of(server)
        conns = [await open_conn(address) for _ in range(4)]  # query, snapshot, mempool, consensus
        info = await exchange(*conns[0], [pb.Request(echo=pb.EchoRequest(message="hello")),
                                          pb.Request(info=pb.InfoRequest()), pb.Request(flush=pb.FlushRequest())])
        assert [r.WhichOneof("value") for r in info] == ["echo", "info", "flush"]
        assert info[0].echo.message == "hello"
        consensus = await exchange(*conns[3], [init_chain_request(), pb.Request(flush=pb.FlushRequest())])
        assert consensus[0].WhichOneof("value") == "init_chain" and len(consensus[0].init_chain.app_hash) == 32
        many = [pb.Request(echo=pb.EchoRequest(message=str(i))) for i in range(50)]
        answers = await exchange(*conns[2], many + [pb.Request(flush=pb.FlushRequest())])
        assert [a.echo.message for a in answers[:50]] == [str(i) for i in range(50)]
        snaps = await exchange(*conns[1], [pb.Request(list_snapshots=pb.ListSnapshotsRequest())])
        assert list(snaps[0].list_snapshots.snapshots) == []
        for _, writer in conns:
            writer.close()
    finally:
        await server.stop()


async def open_conn(address):
    scheme, _, rest = address.partition("://")
    if scheme == "unix":
        return await asyncio.open_unix_connection(rest)
    host, _, port = rest.rpartition(":")
    return await asyncio.open_connection(host, int(port))


def test_tcp_server():
    def address(server):
        return "tcp://127.0.0.1:0" if server == "start" else f"tcp://127.0.0.1:{server.port}"

    asyncio.run(run_session(address))


def test_unix_server(tmp_path):
    path = tmp_path / "abci.sock"
    asyncio.run(run_session(lambda server: f"unix://{path}"))


def test_consensus_failure_calls_on_fatal():
    failures = []

    async def session():
        server = AbciServer(make_application(), "tcp://127.0.0.1:0", on_fatal=failures.append)
        await server.start()
        reader, writer = await open_conn(f"tcp://127.0.0.1:{server.port}")
        writer.write(encode_frame(pb.Request(commit=pb.CommitRequest()).SerializeToString()))
        await writer.drain()
        assert await asyncio.wait_for(reader.read(10), 5) == b""  # the connection is closed, no answer
        await server.stop()

    asyncio.run(session())
    assert len(failures) == 1 and "commit failed" in str(failures[0])


def test_bad_address():
    with pytest.raises(ValueError):
        asyncio.run(AbciServer(make_application(), "http://x").start())


def test_crash_switch_is_off_unless_set():
    from suretychain.node.abci.server import CRASH_BEFORE_COMMIT_ENV, read_crash_height

    assert read_crash_height({}) is None
    assert read_crash_height({CRASH_BEFORE_COMMIT_ENV: ""}) is None
    assert read_crash_height({CRASH_BEFORE_COMMIT_ENV: "12"}) == 12
    for bad in ("x", "0"):
        with pytest.raises(ValueError):
            read_crash_height({CRASH_BEFORE_COMMIT_ENV: bad})


class SlowMempoolApplication:
    """Answers like an AbciApplication, taking ``work_s`` of the loop's time per CheckTx (a mempool backlog)."""

    last_finalized_height = 0

    def __init__(self, work_s: float) -> None:
        self.work_s = work_s
        self.handled: list[str] = []

    def prefetch_check_tx(self, requests) -> None:
        pass

    def handle(self, request: pb.Request) -> pb.Response:
        kind = request.WhichOneof("value")
        self.handled.append(kind)
        if kind == "check_tx":
            time.sleep(self.work_s)  # blocks the loop, as a CheckTx's CPU does
            return pb.Response(check_tx=pb.CheckTxResponse(code=0))
        if kind == "info":
            return pb.Response(info=pb.InfoResponse(data="slow"))
        return pb.Response(flush=pb.FlushResponse())


def test_consensus_request_is_not_stuck_behind_a_mempool_backlog():
    """A request on another connection is answered while a long run of CheckTx on the mempool connection is still
    being worked through: the server answers a backlog in slices and serves the other connections between them."""
    backlog, work_s = 1000, 0.001
    application = SlowMempoolApplication(work_s)
    server = AbciServer(application, "tcp://127.0.0.1:0")  # type: ignore[arg-type]
    ready, outcome = threading.Event(), {}

    def client() -> None:
        ready.wait(5)
        mempool = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        consensus = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        check = encode_frame(pb.Request(check_tx=pb.CheckTxRequest(tx=b"x" * 400)).SerializeToString())
        mempool.sendall(check * backlog + encode_frame(pb.Request(flush=pb.FlushRequest()).SerializeToString()))
        assert mempool.recv(65536)  # the first answers of the backlog: its work has begun
        consensus.sendall(encode_frame(pb.Request(info=pb.InfoRequest()).SerializeToString()))
        answer = bytearray()
        while not decode_frames(answer):
            answer.extend(consensus.recv(65536))
        outcome["checks_before_info"] = application.handled.index("info")
        mempool.close()
        consensus.close()

    async def session() -> None:
        await server.start()
        thread = threading.Thread(target=client, daemon=True)
        thread.start()
        ready.set()
        while thread.is_alive():
            await asyncio.sleep(0.01)
        await server.stop()

    asyncio.run(session())
    assert outcome["checks_before_info"] < backlog // 2, outcome
