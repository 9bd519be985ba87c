"""The App's memo of verified signatures, and the narrow interface through which it hands batches to an optional
verifier beside the main thread.

Validity is a pure function of (public key, message, signature), so the memo saves re-verifying in CheckTx,
PrepareProposal and FinalizeBlock without touching consensus. A node may attach a :class:`Verifier` factory
(``app.sig_cache.attach(factory)``; the node's helper process is :mod:`suretychain.node.sigverify`); the memo then
sends it the triples of txs that have arrived and reads its answers when CheckTx or the block needs them. With no
verifier attached, or once the attached one fails, every signature is verified in-process. Core itself starts no
process and does no I/O here.
"""
from __future__ import annotations

import logging
import weakref
from collections import OrderedDict, deque
from typing import Any, Callable, Protocol

from suretychain.core import crypto

log = logging.getLogger(__name__)

KEY_BYTES = 32
MESSAGE_BYTES = 32
SIGNATURE_BYTES = 64
SIG_CACHE_SIZE = 200_000
PARALLEL_VERIFY_MIN = 8  # fewer signatures are not worth the hand-off to the verifier
VERIFY_BATCH = 256  # signatures per batch sent to the verifier (answers are read batch by batch)
PROBE = (bytes(KEY_BYTES), bytes(MESSAGE_BYTES), bytes(SIGNATURE_BYTES))  # a triple to ask about (its answer: invalid)


class Verifier(Protocol):
    """Checks batches of (32-byte key, 32-byte message, 64-byte signature) triples elsewhere; answers in send order.
    Each method raises ``OSError`` when the verifier is gone (the memo then verifies in-process)."""

    def send(self, items: list[tuple[bytes, bytes, bytes]]) -> None:
        """Queue one batch; returns without waiting for the answers."""

    def receive(self, count: int) -> bytes:
        """The answers to the oldest unanswered batch of ``count`` items: one byte each, ``1`` if valid."""

    def close(self) -> None:
        """Stop the verifier and release what it holds."""


VerifierFactory = Callable[[], Verifier]  # starts a verifier; raises ``OSError`` when none can start


def is_record(item: tuple[bytes, bytes, bytes]) -> bool:
    """True if the triple has the fixed ed25519 sizes a verifier takes (others are verified in-process)."""
    pk, message, signature = item
    return len(pk) == KEY_BYTES and len(message) == MESSAGE_BYTES and len(signature) == SIGNATURE_BYTES


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

    :meth:`prefetch` hands the signatures of txs that have just arrived to the attached :class:`Verifier` (if any),
    which checks them on the other core while this thread goes on with CheckTx and blocks; :meth:`verify` reads
    the verifier's answers when it reaches one of them. Only "valid" answers enter the memo; a signature the
    verifier called invalid, or never saw, is verified here.
    """

    def __init__(self, size: int = SIG_CACHE_SIZE) -> None:
        self._verified = BoundedMemo(size)
        self._factory: VerifierFactory | None = None
        self._helper: Verifier | None = None
        self._helper_failed = False
        self._sent: deque[list[bytes]] = deque()  # tokens of each batch sent and not yet answered, oldest first
        self._in_flight: dict[bytes, int] = {}  # token -> number of the batch it went in
        self._batches_sent = self._batches_read = 0

    def prefetch(self, items: list[tuple[bytes, bytes, bytes]]) -> None:
        """Send many (key, message, signature) triples to the verifier; returns at once."""
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
        """Read the verifier's answers up to batch number ``through``, remembering the valid signatures."""
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

    def attach(self, factory: VerifierFactory) -> None:
        """Use verifiers made by ``factory`` from now on (the first is started on the first large batch, or by
        :meth:`start`); the node does this, core never starts one itself."""
        self.close()
        self._factory = factory
        self._helper_failed = False

    def _start_helper(self) -> Verifier | None:
        if self._helper is None and self._factory is not None and not self._helper_failed:
            try:
                self._helper = self._factory()
                weakref.finalize(self, self._helper.close)
            except OSError:
                log.warning("signature verifier unavailable; verifying in-process", exc_info=True)
                self._helper_failed = True
        return self._helper

    def start(self, wait: bool = False) -> None:
        """Start the attached verifier now rather than on the first batch (a long-running node does this at start-up,
        so its first txs do not wait for it to boot); nothing without one attached. With ``wait``, return only once
        it answers (a benchmark's clock should not cover the boot of a helper a running node started long ago)."""
        helper = self._start_helper()
        if helper is None or not wait:
            return
        self._read_answers(self._batches_sent - 1)  # nothing older is pending, so the next answer is the probe's
        try:
            helper.send([PROBE])
            helper.receive(1)
        except OSError:
            self._drop_helper()

    def close(self) -> None:
        """Stop the verifier (if one runs); later signatures are verified here, or by a new one from the factory."""
        self._sent.clear()
        self._in_flight.clear()
        self._batches_read = self._batches_sent
        if self._helper is not None:
            self._helper.close()
        self._helper = None

    def _drop_helper(self) -> None:
        """The verifier is gone: forget what it was asked (those signatures get verified here) and stop using it."""
        log.warning("signature verifier failed; verifying in-process")
        self.close()
        self._helper_failed = True
