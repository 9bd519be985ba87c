"""The signature helper process attached to the App's memo: answers are exactly ``ed25519.verify``'s, with or without
the helper."""
from __future__ import annotations

import io

from suretychain.core.signatures import PARALLEL_VERIFY_MIN, SignatureCache
from suretychain.node.sigverify import VerifierProcess, encode_batch, serve
from tests.core.test_signatures import make_items


def test_helper_answers_in_order():
    items = make_items(5, forged=2)
    out = io.BytesIO()
    serve(io.BytesIO(encode_batch(items) + encode_batch(items[:1])), out)
    assert out.getvalue() == b"\x01\x01\x01\x00\x00" + b"\x01"


def test_prefetched_signatures_verify_as_ed25519_does():
    items = make_items(3 * PARALLEL_VERIFY_MIN, forged=4)
    cache = SignatureCache()
    cache.attach(VerifierProcess)
    try:
        cache.prefetch(items)
        assert cache._helper is not None  # the batch went to the helper process
        assert [cache.verify(*item) for item in reversed(items)] == [False] * 4 + [True] * (len(items) - 4)
        assert not cache._in_flight
    finally:
        cache.close()


def test_a_dead_helper_falls_back_to_verifying_here():
    items = make_items(2 * PARALLEL_VERIFY_MIN, forged=1)
    cache = SignatureCache()
    cache.attach(VerifierProcess)
    cache.prefetch(items)
    helper = cache._helper
    assert helper is not None
    helper._proc.kill()
    helper._proc.wait()
    assert [cache.verify(*item) for item in items] == [True] * (len(items) - 1) + [False]
    assert cache._helper is None and cache._helper_failed  # not used again
    cache.prefetch(make_items(2 * PARALLEL_VERIFY_MIN, forged=0))
    assert cache._helper is None


def test_small_batches_are_verified_in_process():
    cache = SignatureCache()
    cache.attach(VerifierProcess)
    cache.prefetch(make_items(PARALLEL_VERIFY_MIN - 1, forged=0))
    assert cache._helper is None and not cache._in_flight


def test_start_with_wait_returns_once_the_helper_answers():
    cache = SignatureCache()
    cache.attach(VerifierProcess)
    try:
        cache.start(wait=True)
        assert cache._helper is not None and not cache._helper_failed and not cache._in_flight
        items = make_items(2 * PARALLEL_VERIFY_MIN, forged=1)
        cache.prefetch(items)  # the probe's answer was read: these answers come in order after it
        assert [cache.verify(*item) for item in items] == [True] * (len(items) - 1) + [False]
        assert not cache._in_flight
    finally:
        cache.close()
