"""Signature checks: the App's memo of verified signatures, and a helper process that checks them beside the main
thread.

A worker *thread* cannot check signatures while the main thread runs Python: libsodium releases the GIL during a
verify, but the thread must take it back after each one and waits up to a switch interval (5 ms) for it, so it
manages a few hundred verifies a second. A helper process has its own interpreter and runs at full speed on the
other core. The node sends it the (public key, message, signature) triples of txs that have arrived and reads the
answers when CheckTx or the block needs them.

Wire format, over the helper's stdin and stdout: a batch is a 4-byte big-endian count ``n`` and ``n`` records of
``public key (32) | message (32) | signature (64)``; the answer is ``n`` bytes, ``1`` for a valid signature and
``0`` otherwise, in the same order. Batches are answered in the order they were sent. The helper exits at end of
input (so it never outlives its node, even after ``kill -9``).

This is a node-local speed-up: the answers only fill the App's memo of verified signatures
(:class:`SignatureCache`), and a signature the helper has not answered for is verified in-process as before.
The helper imports only :mod:`suretychain.core.crypto` (PyNaCl), so it starts in a fraction of a second.
"""
from __future__ import annotations

import logging
import os
import subprocess
import sys
import weakref
from collections import OrderedDict, deque
from typing import Any

from suretychain.core import crypto

log = logging.getLogger(__name__)

KEY_BYTES = 32
MESSAGE_BYTES = 32
SIGNATURE_BYTES = 64
RECORD_BYTES = KEY_BYTES + MESSAGE_BYTES + SIGNATURE_BYTES
PIPE_BYTES = 1 << 20  # room for ~8,000 pending records, so sending a batch never waits for the helper
SIG_CACHE_SIZE = 200_000
PARALLEL_VERIFY_MIN = 8  # fewer signatures are not worth the hand-off to the helper process
VERIFY_BATCH = 256  # signatures per message to the helper (answers are read batch by batch)


def encode_batch(items: list[tuple[bytes, bytes, bytes]]) -> bytes:
    """One batch on the wire: the count, then each record (every part has its fixed length)."""
    return len(items).to_bytes(4, "big") + b"".join(pk + message + signature for pk, message, signature in items)


def is_record(item: tuple[bytes, bytes, bytes]) -> bool:
    """True if the triple fits the fixed record layout (others are verified in-process)."""
    pk, message, signature = item
    return len(pk) == KEY_BYTES and len(message) == MESSAGE_BYTES and len(signature) == SIGNATURE_BYTES


class VerifierProcess:
    """The node's end of one helper process."""

    def __init__(self) -> None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        self._proc = subprocess.Popen([sys.executable, "-m", "suretychain.core.signatures"], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, env=env, bufsize=0, close_fds=True)
        self._in = self._proc.stdin.fileno()  # type: ignore[union-attr]
        self._out = self._proc.stdout.fileno()  # type: ignore[union-attr]
        for fd in (self._in, self._out):
            _grow_pipe(fd)

    def send(self, items: list[tuple[bytes, bytes, bytes]]) -> None:
        """Queue one batch (raises ``OSError`` if the helper is gone)."""
        data = memoryview(encode_batch(items))
        while data:
            data = data[os.write(self._in, data):]

    def receive(self, count: int) -> bytes:
        """The answers to the oldest unanswered batch of ``count`` records (waits for them)."""
        chunks, missing = [], count
        while missing:
            chunk = os.read(self._out, missing)
            if not chunk:
                raise OSError("signature helper exited")
            chunks.append(chunk)
            missing -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        """End the helper (it exits at end of input) and reap it."""
        for stream in (self._proc.stdin, self._proc.stdout):
            if stream is not None:
                stream.close()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()


def _grow_pipe(fd: int) -> None:
    """Enlarge a pipe's buffer where the platform allows it (Linux); elsewhere sends may wait a little."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)  # type: ignore[attr-defined]
    except (ImportError, AttributeError, OSError):
        pass


class BoundedMemo:
    """A bounded least-recently-added memo for pure functions of bytes (never of state)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[bytes, Any] = OrderedDict()

    def get(self, key: bytes) -> Any:
        return self._items.get(key)

    def put(self, key: bytes, value: Any) -> None:
        self._items[key] = value
        if len(self._items) > self.size:
            self._items.popitem(last=False)


class SignatureCache:
    """Remembers signatures that verified: validity is a pure function of (key, message, signature), so this saves
    re-verifying in CheckTx, PrepareProposal and FinalizeBlock without touching consensus.

    :meth:`prefetch` hands the signatures of txs that have just arrived to a helper process
    (:class:`VerifierProcess`), which checks them on the other core while this thread goes on with CheckTx
    and blocks; :meth:`verify` reads the helper's answers when it reaches one of them. Only "valid" answers enter
    the memo; a signature the helper called invalid, or never saw, is verified here.
    """

    def __init__(self, size: int = SIG_CACHE_SIZE) -> None:
        self._verified = BoundedMemo(size)
        self._helper: VerifierProcess | None = None
        self._helper_failed = False
        self._sent: deque[list[bytes]] = deque()  # tokens of each batch sent and not yet answered, oldest first
        self._in_flight: dict[bytes, int] = {}  # token -> number of the batch it went in
        self._batches_sent = self._batches_read = 0

    def prefetch(self, items: list[tuple[bytes, bytes, bytes]]) -> None:
        """Send many (key, message, signature) triples to the helper; returns at once."""
        todo, seen = [], set()
        for item in items:
            token = item[0] + item[1] + item[2]
            if token not in seen and token not in self._in_flight and not self._verified.get(token) \
                    and is_record(item):
                seen.add(token)
                todo.append(item)
        helper = self._start_helper() if len(todo) >= PARALLEL_VERIFY_MIN else None
        if helper is None:
            return
        if len(self._in_flight) > self._verified.size:  # answers nobody asked for: take them in before sending more
            self._read_answers(self._batches_sent - 1)
        for start in range(0, len(todo), VERIFY_BATCH):
            batch = todo[start:start + VERIFY_BATCH]
            try:
                helper.send(batch)
            except OSError:
                self._drop_helper()
                return
            tokens = [pk + message + signature for pk, message, signature in batch]
            self._sent.append(tokens)
            for token in tokens:
                self._in_flight[token] = self._batches_sent
            self._batches_sent += 1

    def verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        """``ed25519.verify``, memoised by (key, message, signature)."""
        token = public_key + message + signature
        if self._verified.get(token):
            return True
        batch = self._in_flight.get(token)
        if batch is not None:
            self._read_answers(batch)
            if self._verified.get(token):
                return True
        if not crypto.PublicKey(public_key).verify(message, signature):
            return False
        self._verified.put(token, True)
        return True

    def _read_answers(self, through: int) -> None:
        """Read the helper's answers up to batch number ``through``, remembering the valid signatures."""
        while self._batches_read <= through and self._sent:
            tokens = self._sent.popleft()
            try:
                answers = self._helper.receive(len(tokens)) if self._helper is not None else b""
            except OSError:
                answers = b""
            for token, ok in zip(tokens, answers):
                if ok == 1:
                    self._verified.put(token, True)
            for token in tokens:
                self._in_flight.pop(token, None)
            self._batches_read += 1
            if len(answers) != len(tokens):
                self._drop_helper()

    def _start_helper(self) -> VerifierProcess | None:
        if self._helper is None and not self._helper_failed:
            try:
                self._helper = VerifierProcess()
                weakref.finalize(self, self._helper.close)
            except OSError:
                log.warning("signature helper process unavailable; verifying in-process", exc_info=True)
                self._helper_failed = True
        return self._helper

    def start(self) -> None:
        """Start the helper process now rather than on the first batch (a long-running node does this at start-up,
        so its first txs do not wait for the helper's interpreter to boot)."""
        self._start_helper()

    def close(self) -> None:
        """Stop the helper process (if one runs); later signatures are verified here, or by a new helper."""
        self._sent.clear()
        self._in_flight.clear()
        self._batches_read = self._batches_sent
        if self._helper is not None:
            self._helper.close()
        self._helper = None

    def _drop_helper(self) -> None:
        """The helper is gone: forget what it was asked (those signatures get verified here) and stop using it."""
        log.warning("signature helper process failed; verifying in-process")
        self.close()
        self._helper_failed = True


def _read_exactly(stream, count: int) -> bytes | None:  # noqa: ANN001 (binary stream)
    data = b""
    while len(data) < count:
        chunk = stream.read(count - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def serve(stdin, stdout) -> None:  # noqa: ANN001 (binary streams)
    """The helper's loop: answer each batch in order until end of input."""
    while True:
        header = _read_exactly(stdin, 4)
        if header is None:
            return
        count = int.from_bytes(header, "big")
        body = _read_exactly(stdin, count * RECORD_BYTES)
        if body is None:
            return
        answers = bytearray(count)
        for i in range(count):
            record = body[i * RECORD_BYTES:(i + 1) * RECORD_BYTES]
            pk, message = record[:KEY_BYTES], record[KEY_BYTES:KEY_BYTES + MESSAGE_BYTES]
            answers[i] = crypto.PublicKey(pk).verify(message, record[KEY_BYTES + MESSAGE_BYTES:])
        stdout.write(bytes(answers))
        stdout.flush()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
