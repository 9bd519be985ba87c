"""Cost of the state commitment: new root after a block of writes, and persisting it, vs plain hashing.

Run: ``python -m bench.commit_cost [--keys 1000000] [--writes 10000] [--blocks 5] [--tree python|native]``

``--tree`` picks the store's in-memory tree (default: what the store picks, see ``suretychain.core.tree``); the
bench prints which one it measures.

1. Builds a state of ``--keys`` keys in a fresh on-disk CommitStore (in batches of ``--batch``, printing progress).
2. For each of ``--blocks`` blocks of ``--writes`` writes (half updates of random existing keys, half inserts of
   new random keys), times ``stage`` (hash keys and values, update the tree, compute the new root) and ``commit``
   (one SQLite transaction: values, nodes, root, pruning).
3. Prints both relative to the time of plain ``hashlib.sha256`` over the block's values (``--writes`` leaves of
   the same size), the best of several runs. Target: staging <= 20x that. Prints ratios; asserts nothing.

The bench (not the store) calls ``gc.freeze()`` once the state is built, as a long-running node should after
loading: otherwise full garbage collections over millions of tree objects land in random blocks. Pass
``--no-gc-freeze`` to measure without it.
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import os
import random
import statistics
import tempfile
import time

from suretychain.core.store import CommitStore
from suretychain.core.tree import TREE_NAMES

KEY_PREFIX = b"acct/"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=1_000_000, help="keys in the state before the timed blocks")
    parser.add_argument("--writes", type=int, default=10_000, help="writes per timed block")
    parser.add_argument("--blocks", type=int, default=5, help="timed blocks (median reported)")
    parser.add_argument("--batch", type=int, default=100_000, help="keys per commit while building the state")
    parser.add_argument("--value-size", type=int, default=64, help="bytes per value")
    parser.add_argument("--keep-recent", type=int, default=100, help="versions kept during the timed blocks")
    parser.add_argument("--path", default=None, help="database file (default: a temporary directory)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-gc-freeze", action="store_true", help="do not gc.freeze() after building")
    parser.add_argument("--tree", choices=TREE_NAMES, default=None, help="in-memory tree (default: the store's pick)")
    return parser.parse_args(argv)


def make_key(rng: random.Random) -> bytes:
    """A random account-like key."""
    return KEY_PREFIX + rng.randbytes(20)


def build_state(store: CommitStore, rng: random.Random, count: int, batch: int, value_size: int) -> list[bytes]:
    """Insert ``count`` random keys in commits of ``batch``; return the keys."""
    keys: list[bytes] = []
    started = time.perf_counter()
    while len(keys) < count:
        chunk = [make_key(rng) for _ in range(min(batch, count - len(keys)))]
        store.stage({key: rng.randbytes(value_size) for key in chunk})
        store.commit()
        keys.extend(chunk)
        elapsed = time.perf_counter() - started
        print(f"  built {len(keys):>9,} keys  version {store.version}  {elapsed:6.1f} s", flush=True)
    return keys


def make_block(rng: random.Random, keys: list[bytes], writes: int, value_size: int) -> dict[bytes, bytes]:
    """Half updates of existing keys, half inserts of new keys (the new keys join ``keys``)."""
    block = {rng.choice(keys): rng.randbytes(value_size) for _ in range(writes // 2)}
    while len(block) < writes:
        key = make_key(rng)
        block[key] = rng.randbytes(value_size)
        keys.append(key)
    return block


def time_plain_hashing(values: list[bytes], repeats: int = 5) -> float:
    """Best time (s) of ``sha256(value).digest()`` over ``values``."""
    best = float("inf")
    sha = hashlib.sha256
    for _ in range(repeats):
        started = time.perf_counter()
        for value in values:
            sha(value).digest()
        best = min(best, time.perf_counter() - started)
    return best


def time_block(store: CommitStore, block: dict[bytes, bytes]) -> tuple[float, float, float]:
    """(plain hashing, stage, commit) times in seconds for one block."""
    baseline = time_plain_hashing(list(block.values()))
    started = time.perf_counter()
    store.stage(block)
    staged = time.perf_counter()
    store.commit()
    committed = time.perf_counter()
    return baseline, staged - started, committed - staged


def main(argv: list[str] | None = None) -> None:
    """Build the state, time the blocks, print the ratios."""
    args = parse_args(argv)
    rng = random.Random(args.seed)
    directory = None if args.path else tempfile.TemporaryDirectory()
    path = args.path or os.path.join(directory.name, "bench.db")
    store = CommitStore(path, keep_recent=1, tree=args.tree)
    print(f"tree: {store.tree_name}")
    print(f"building {args.keys:,} keys ({args.value_size}-byte values) in {path}", flush=True)
    started = time.perf_counter()
    keys = build_state(store, rng, args.keys, args.batch, args.value_size)
    print(f"built in {time.perf_counter() - started:.1f} s; db {os.path.getsize(path) / 2**20:.0f} MiB", flush=True)
    store.keep_recent = args.keep_recent
    if not args.no_gc_freeze:
        gc.collect()
        gc.freeze()
    print(f"\n{args.blocks} blocks of {args.writes:,} writes (half updates, half inserts) on {len(keys):,} keys")
    print(f"{'block':>5} {'sha256 (ms)':>12} {'stage (ms)':>11} {'stage/sha':>10}"
          f" {'commit (ms)':>12} {'commit/sha':>11}")
    rows = []
    for number in range(1, args.blocks + 1):
        baseline, stage, commit = time_block(store, make_block(rng, keys, args.writes, args.value_size))
        rows.append((stage / baseline, commit / baseline))
        print(f"{number:>5} {baseline * 1e3:>12.2f} {stage * 1e3:>11.1f} {stage / baseline:>9.1f}x"
              f" {commit * 1e3:>12.1f} {commit / baseline:>10.1f}x", flush=True)
    print(f"median: stage {statistics.median(r[0] for r in rows):.1f}x plain hashing (target <= 20x),"
          f" commit {statistics.median(r[1] for r in rows):.1f}x")
    store.close()
    if directory is not None:
        directory.cleanup()


if __name__ == "__main__":
    main()
