"""Court keeper: typed get_/set_/iter_ accessors over the court prefix, the declared keepers, and the ruling
callbacks registered per creator module (wiring, like hooks: never state)."""
from __future__ import annotations

from typing import Callable, Iterator

from suretychain.core.context import Context
from suretychain.core.encoding import decode_record, encode
from suretychain.core.keeper import ModuleKeeper
from suretychain.modules.court import keys
from suretychain.modules.court.expected import BankKeeper, BeaconKeeper
from suretychain.modules.court.params import Params
from suretychain.modules.court.types import (
    CommunityShare,
    Counters,
    Court,
    Dispute,
    Juror,
    JurorStake,
    Ruling,
    Withdrawal,
)
from suretychain.core.encoding import Address

RulingCallback = Callable[[Context, int, Ruling], None]


class CourtKeeper(ModuleKeeper):
    STORE_PREFIX = keys.STORE_PREFIX
    PARAMS_TYPE = Params

    def __init__(self, bank: BankKeeper, beacon: BeaconKeeper) -> None:
        self.bank = bank
        self.beacon = beacon
        self.ruling_callbacks: dict[str, RulingCallback] = {}

    def register_creator(self, module: str, on_ruling: RulingCallback) -> None:
        """Let ``module`` open disputes; ``on_ruling(ctx, dispute_id, ruling)`` receives their final rulings."""
        self.ruling_callbacks[module] = on_ruling

    def open_dispute(self, ctx: Context, creator_module: str, court: int, question: str, parties: list[Address],
                     excluded_accounts: list[Address], juror_count: int = 3, arbitration_fee: int = 0,
                     options: list[str] | None = None, payer: Address | None = None) -> int:
        """Open a dispute (see ``disputes.open_dispute``); returns its id."""
        from suretychain.modules.court.disputes import open_dispute
        return open_dispute(self, ctx, creator_module, court, question, parties, excluded_accounts, juror_count,
                            arbitration_fee, options or ["no", "yes"], payer)

    # ---- counters --------------------------------------------------------------------------------------------
    def get_counters(self, ctx: Context) -> Counters:
        raw = self._kv(ctx).get(keys.COUNTERS_KEY)
        return decode_record(raw, Counters) if raw else Counters()

    def set_counters(self, ctx: Context, counters: Counters) -> None:
        self._kv(ctx).set(keys.COUNTERS_KEY, encode(counters))

    # ---- courts ----------------------------------------------------------------------------------------------
    def get_court(self, ctx: Context, court_id: int) -> Court | None:
        raw = self._kv(ctx).get(keys.court_key(court_id))
        return decode_record(raw, Court) if raw else None

    def set_court(self, ctx: Context, court: Court) -> None:
        self._kv(ctx).set(keys.court_key(court.id), encode(court))

    def iter_courts(self, ctx: Context) -> Iterator[Court]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.COURT):
            yield decode_record(raw, Court)

    # ---- stakes and jurors -----------------------------------------------------------------------------------
    def get_stake(self, ctx: Context, juror: Address, court_id: int) -> int:
        raw = self._kv(ctx).get(keys.stake_key(juror.raw, court_id))
        return decode_record(raw, JurorStake).amount if raw else 0

    def set_stake(self, ctx: Context, juror: Address, court_id: int, amount: int) -> None:
        key = keys.stake_key(juror.raw, court_id)
        if amount == 0:
            self._kv(ctx).delete(key)
        else:
            self._kv(ctx).set(key, encode(JurorStake(juror=juror, court=court_id, amount=amount)))

    def iter_stakes(self, ctx: Context) -> Iterator[JurorStake]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.STAKE):
            yield decode_record(raw, JurorStake)

    def iter_juror_stakes(self, ctx: Context, juror: Address) -> list[JurorStake]:
        return [decode_record(raw, JurorStake) for _, raw in self._kv(ctx).iterate_prefix(keys.STAKE + juror.raw)]

    def get_juror(self, ctx: Context, juror: Address) -> Juror:
        raw = self._kv(ctx).get(keys.juror_key(juror.raw))
        return decode_record(raw, Juror) if raw else Juror(juror=juror)

    def set_juror(self, ctx: Context, juror: Juror) -> None:
        key = keys.juror_key(juror.juror.raw)
        if juror.staked == 0 and juror.locked == 0 and not juror.affiliations:
            self._kv(ctx).delete(key)
        else:
            self._kv(ctx).set(key, encode(juror))

    def iter_jurors(self, ctx: Context) -> Iterator[Juror]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.JUROR):
            yield decode_record(raw, Juror)

    # ---- withdrawals -----------------------------------------------------------------------------------------
    def set_withdrawal(self, ctx: Context, withdrawal: Withdrawal) -> None:
        self._kv(ctx).set(keys.withdrawal_key(withdrawal.release_ns, withdrawal.id), encode(withdrawal))

    def delete_withdrawal(self, ctx: Context, withdrawal: Withdrawal) -> None:
        self._kv(ctx).delete(keys.withdrawal_key(withdrawal.release_ns, withdrawal.id))

    def iter_withdrawals(self, ctx: Context) -> Iterator[Withdrawal]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.WITHDRAWAL):
            yield decode_record(raw, Withdrawal)

    def get_due_withdrawals(self, ctx: Context, time_ns: int) -> list[Withdrawal]:
        return [decode_record(raw, Withdrawal)
                for _, raw in self._kv(ctx).iterate(keys.WITHDRAWAL, keys.withdrawals_until(time_ns))]

    # ---- disputes --------------------------------------------------------------------------------------------
    def get_dispute(self, ctx: Context, dispute_id: int) -> Dispute | None:
        raw = self._kv(ctx).get(keys.dispute_key(dispute_id))
        return decode_record(raw, Dispute) if raw else None

    def set_dispute(self, ctx: Context, dispute: Dispute) -> None:
        """Write a dispute and keep the open index (a final dispute leaves it)."""
        kv = self._kv(ctx)
        kv.set(keys.dispute_key(dispute.id), encode(dispute))
        if dispute.final:
            kv.delete(keys.open_dispute_key(dispute.id))
        else:
            kv.set(keys.open_dispute_key(dispute.id), b"")

    def iter_disputes(self, ctx: Context) -> Iterator[Dispute]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.DISPUTE):
            yield decode_record(raw, Dispute)

    def get_open_dispute_ids(self, ctx: Context) -> list[int]:
        return [int.from_bytes(key[-8:], "big") for key, _ in self._kv(ctx).iterate_prefix(keys.OPEN_DISPUTE)]

    # ---- community shares ------------------------------------------------------------------------------------
    def get_community(self, ctx: Context, court_id: int) -> int:
        raw = self._kv(ctx).get(keys.community_key(court_id))
        return decode_record(raw, CommunityShare).amount if raw else 0

    def add_community(self, ctx: Context, court_id: int, amount: int) -> None:
        if amount:
            total = self.get_community(ctx, court_id) + amount
            self._kv(ctx).set(keys.community_key(court_id), encode(CommunityShare(court=court_id, amount=total)))

    def iter_community(self, ctx: Context) -> Iterator[CommunityShare]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.COMMUNITY):
            yield decode_record(raw, CommunityShare)
