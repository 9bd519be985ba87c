"""State-sync snapshots: list, load chunks, restore into a fresh node, refuse bad chunks and wrong app hashes."""
from __future__ import annotations

from abci_helpers import balance_query, init_chain_request, make_application, run_block, send_tx
from suretychain.node.abci import surety_abci_pb2 as pb


def build_source(tmp_path, blocks: int = 4):
    source = make_application(snapshot_dir=tmp_path / "snaps", interval=2, chunk_bytes=512)
    source.handle(init_chain_request())
    run_block(source, 1)
    for height in range(2, blocks + 1):
        run_block(source, height, [send_tx(height - 2, amount=height)])
    return source


def offer_and_apply(source, target, app_hash=None, corrupt_first=False):
    snapshot = source.handle(pb.Request(list_snapshots=pb.ListSnapshotsRequest())).list_snapshots.snapshots[0]
    trusted = source.app.store.root_at(snapshot.height) if app_hash is None else app_hash
    offer = target.handle(pb.Request(offer_snapshot=pb.OfferSnapshotRequest(snapshot=snapshot, app_hash=trusted)))
    assert offer.offer_snapshot.result == pb.OFFER_ACCEPT
    results = []
    for index in range(snapshot.chunks):
        chunk = source.handle(pb.Request(load_snapshot_chunk=pb.LoadSnapshotChunkRequest(
            height=snapshot.height, format=snapshot.format, chunk=index))).load_snapshot_chunk.chunk
        if corrupt_first and index == 0:
            bad = target.handle(pb.Request(apply_snapshot_chunk=pb.ApplySnapshotChunkRequest(
                index=0, chunk=chunk + b"!", sender="peer1"))).apply_snapshot_chunk
            assert bad.result == pb.APPLY_RETRY and list(bad.refetch_chunks) == [0]
            assert list(bad.reject_senders) == ["peer1"]
        results.append(target.handle(pb.Request(apply_snapshot_chunk=pb.ApplySnapshotChunkRequest(
            index=index, chunk=chunk, sender="peer2"))).apply_snapshot_chunk.result)
    return snapshot, results


def test_snapshots_taken_every_interval_and_pruned(tmp_path):
    source = build_source(tmp_path, blocks=6)
    listed = source.handle(pb.Request(list_snapshots=pb.ListSnapshotsRequest())).list_snapshots.snapshots
    assert [s.height for s in listed] == [6, 4]  # keep 2
    assert all(s.format == 1 and s.chunks >= 1 and len(s.hash) == 32 for s in listed)


def test_restore_into_fresh_node(tmp_path):
    source = build_source(tmp_path)
    target = make_application()
    snapshot, results = offer_and_apply(source, target, corrupt_first=True)
    assert snapshot.chunks > 1  # small chunks: the multi-chunk path is exercised
    assert results == [pb.APPLY_ACCEPT] * snapshot.chunks
    info = target.handle(pb.Request(info=pb.InfoRequest())).info
    assert info.last_block_height == snapshot.height == 4
    assert info.last_block_app_hash == source.app.store.root_at(4)
    assert target.app.chain_id == source.app.chain_id
    assert target.app.last_block_time_ns == source.app.last_block_time_ns
    assert target.handle(balance_query()).query.value == source.handle(balance_query()).query.value
    # the restored node then follows the chain
    a = run_block(source, 5, [send_tx(3)]).app_hash
    b = run_block(target, 5, [send_tx(3)]).app_hash
    assert a == b


def test_wrong_trusted_app_hash_rejects_snapshot(tmp_path):
    source = build_source(tmp_path)
    target = make_application()
    _, results = offer_and_apply(source, target, app_hash=b"\x00" * 32)
    assert results[-1] == pb.APPLY_REJECT_SNAPSHOT
    assert target.app.store.version == 0


def test_offer_refused_with_state_or_unknown_format(tmp_path):
    source = build_source(tmp_path)
    snapshot = source.handle(pb.Request(list_snapshots=pb.ListSnapshotsRequest())).list_snapshots.snapshots[0]
    offer = source.handle(pb.Request(offer_snapshot=pb.OfferSnapshotRequest(snapshot=snapshot)))
    assert offer.offer_snapshot.result == pb.OFFER_ABORT  # it already has state
    other = pb.Snapshot(height=snapshot.height, format=7, chunks=1, hash=snapshot.hash)
    offer = make_application().handle(pb.Request(offer_snapshot=pb.OfferSnapshotRequest(snapshot=other)))
    assert offer.offer_snapshot.result == pb.OFFER_REJECT_FORMAT
    chunk = source.handle(pb.Request(load_snapshot_chunk=pb.LoadSnapshotChunkRequest(height=999, format=1)))
    assert chunk.load_snapshot_chunk.chunk == b""
