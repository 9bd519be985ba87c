"""Benchmark: drawing 511 jurors among 1,000,000 stakers against among 1,000, in one run (target: ratio <= 3; the
draw reads K = 16 children per level of the court's stored sum tree, so it is O(log n) per seat).

Each state is built in bulk through the genesis path (``init_genesis`` with stakes and no tree entries, so the
court's tree is laid out level by level) on a fresh in-memory store; a dispute is opened through
``CourtKeeper.open_dispute`` (which freezes a snapshot epoch) and drawn by ``draw_jurors``, the function end-block
calls, from a fixed seed. Only the draw is timed.

    python -m bench.court_draw [--stakers 1000000] [--small 1000] [--jurors 511]
"""
from __future__ import annotations

import argparse
import time

import msgspec

from suretychain.app import make_app
from suretychain.core.context import BlockInfo, Context
from suretychain.core.encoding import Address
from suretychain.core.kv import CacheKV, CommittedKV
from suretychain.core.store import CommitStore
from suretychain.modules.court.disputes import draw_jurors
from suretychain.modules.court.genesis import default_courts, init_genesis, validate_genesis
from suretychain.modules.court.keeper import CourtKeeper
from suretychain.modules.court.params import CourtParams
from suretychain.modules.court.types import GenesisState, Juror, JurorStake

TARGET = 3.0
STAKE = 2_000_000  # each staker: twice the minimum, room for 20 seats' locks
SEED = b"\x07" * 32
GENERAL = 1


def build(stakers: int) -> tuple[CourtKeeper, Context]:
    """A court state with ``stakers`` jurors staked in the general court, through ``init_genesis``."""
    app = make_app(CommitStore(None))
    keeper: CourtKeeper = app.modules_by_name["court"].keeper
    keeper.register_creator("bench", lambda ctx, dispute_id, ruling: None)
    ctx = Context(kv=CacheKV(CommittedKV(app.store)), block=BlockInfo(chain_id="bench", height=1, time_ns=0))
    courts = [msgspec.structs.replace(c, params=CourtParams(juror_fee=0)) for c in default_courts()]  # no fee
    addresses = [Address.from_raw(i.to_bytes(20, "big")) for i in range(1, stakers + 1)]
    state = GenesisState(courts=courts, stakes=[JurorStake(juror=a, court=GENERAL, amount=STAKE) for a in addresses],
                         jurors=[Juror(juror=a, staked=STAKE) for a in addresses])
    validate_genesis(state)
    init_genesis(keeper, ctx, state)
    return keeper, ctx


def time_draw(stakers: int, jurors: int) -> tuple[float, float]:
    """(seconds to build, seconds to draw ``jurors`` seats) among ``stakers``."""
    started = time.perf_counter()
    keeper, ctx = build(stakers)
    party = Address.from_raw(b"\xff" * 20)
    dispute_id = keeper.open_dispute(ctx, "bench", GENERAL, "bench", [party], [], juror_count=jurors)
    built = time.perf_counter() - started
    dispute = keeper.get_dispute(ctx, dispute_id)
    started = time.perf_counter()
    round_ = draw_jurors(keeper, ctx, dispute, SEED)
    drew = time.perf_counter() - started
    assert round_.seats == jurors, round_
    return built, drew


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stakers", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--jurors", type=int, default=511)
    args = parser.parse_args()
    small_build, small = time_draw(args.small, args.jurors)
    print(f"draw {args.jurors} among {args.small:>9,} stakers: {small * 1e3:8.1f} ms "
          f"(state built in {small_build:.1f} s)")
    large_build, large = time_draw(args.stakers, args.jurors)
    print(f"draw {args.jurors} among {args.stakers:>9,} stakers: {large * 1e3:8.1f} ms "
          f"(state built in {large_build:.1f} s)")
    ratio = large / small
    print(f"ratio {ratio:.2f} (target <= {TARGET:g}): {'ok' if ratio <= TARGET else 'over target'}")


if __name__ == "__main__":
    main()
