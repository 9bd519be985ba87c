"""The App's memo of verified signatures: with no verifier attached, or a verifier that fails, every signature is
verified in-process and the answers are exactly ``ed25519.verify``'s."""
from __future__ import annotations

from suretychain.core.crypto import PrivateKey
from suretychain.core.signatures import PARALLEL_VERIFY_MIN, SignatureCache


def make_items(count: int, forged: int) -> list[tuple[bytes, bytes, bytes]]:
    """``count`` (key, message, signature) triples of which the last ``forged`` have a wrong signature."""
    key = PrivateKey.from_seed(b"\x05" * 32)
    items = []
    for i in range(count):
        message = i.to_bytes(32, "big")
        signature = key.sign(message) if i < count - forged else bytes(64)
        items.append((key.public_key.raw, message, signature))
    return items


class BrokenVerifier:
    """A verifier that takes batches and then dies before answering."""

    def send(self, items: list[tuple[bytes, bytes, bytes]]) -> None:
        pass

    def receive(self, count: int) -> bytes:
        raise OSError("gone")

    def close(self) -> None:
        pass


def test_without_a_verifier_signatures_are_verified_in_process():
    items = make_items(3 * PARALLEL_VERIFY_MIN, forged=4)
    cache = SignatureCache()
    cache.prefetch(items)
    assert cache._helper is None and not cache._in_flight
    assert [cache.verify(*item) for item in items] == [True] * (len(items) - 4) + [False] * 4


def test_a_failing_verifier_falls_back_to_verifying_here():
    items = make_items(2 * PARALLEL_VERIFY_MIN, forged=1)
    cache = SignatureCache()
    cache.attach(BrokenVerifier)
    cache.prefetch(items)
    assert cache._helper is not None and cache._in_flight
    assert [cache.verify(*item) for item in items] == [True] * (len(items) - 1) + [False]
    assert cache._helper is None and cache._helper_failed  # not used again
