"""The signature helper process: verifies ed25519 signatures on the other core for the App's memo
(:class:`suretychain.core.signatures.SignatureCache`), attached by the node (``app.sig_cache.attach(VerifierProcess)``).

A worker *thread* cannot check signatures while the main thread runs Python: libsodium releases the GIL during a
verify, but the thread must take it back after each one and waits up to a switch interval (5 ms) for it, so it
manages a few hundred verifies a second. A helper process has its own interpreter and runs at full speed on the
other core. The node sends it the (public key, message, signature) triples of txs that have arrived and reads the
answers when CheckTx or the block needs them.

Wire format, over the helper's stdin and stdout: a batch is a 4-byte big-endian count ``n`` and ``n`` records of
``public key (32) | message (32) | signature (64)``; the answer is ``n`` bytes, ``1`` for a valid signature and
``0`` otherwise, in the same order. Batches are answered in the order they were sent. The helper exits at end of
input (so it never outlives its node, even after ``kill -9``). Run as ``python -m suretychain.node.sigverify``.

This is a node-local speed-up: the answers only fill the App's memo, and a signature the helper has not answered
for is verified in-process as before. The helper imports only :mod:`suretychain.core.crypto` (PyNaCl) and the memo's
record sizes, so it starts in a fraction of a second.
"""
from __future__ import annotations

import os
import subprocess
import sys

from suretychain.core import crypto
from suretychain.core.signatures import KEY_BYTES, MESSAGE_BYTES, SIGNATURE_BYTES

RECORD_BYTES = KEY_BYTES + MESSAGE_BYTES + SIGNATURE_BYTES
PIPE_BYTES = 1 << 20  # room for ~8,000 pending records, so sending a batch never waits for the helper


def encode_batch(items: list[tuple[bytes, bytes, bytes]]) -> bytes:
    """One batch on the wire: the count, then each record (every part has its fixed length)."""
    return len(items).to_bytes(4, "big") + b"".join(pk + message + signature for pk, message, signature in items)


class VerifierProcess:
    """The node's end of one helper process (a :class:`suretychain.core.signatures.Verifier`)."""

    def __init__(self) -> None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        self._proc = subprocess.Popen([sys.executable, "-m", "suretychain.node.sigverify"], stdin=subprocess.PIPE,
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
