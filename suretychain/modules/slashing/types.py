"""Slashing records, the msg, genesis and query types, and the module's constants."""
from __future__ import annotations

from typing import Annotated

import msgspec

from suretychain.core.dec import Dec
from suretychain.core.encoding import Address, Height, Record, Timestamp, ValAddress
from suretychain.core.tx import Msg
from suretychain.modules.slashing.params import Params

MODULE = "slashing"

# Updates returned at the end of block H take effect at H + 1 + VALIDATOR_UPDATE_DELAY (CometBFT: H + 2), so the
# stake that signed block H was fixed VALIDATOR_UPDATE_DELAY blocks earlier (Cosmos SDK's sdk.ValidatorUpdateDelay).
VALIDATOR_UPDATE_DELAY = 1
# A double-signer's jail never ends: the latest time a Timestamp can hold (year 2262).
JAILED_FOREVER_NS = 2**63 - 1
# The misbehavior kinds consensus reports (CometBFT's evidence types); both are equivocation.
EQUIVOCATION_KINDS = ("duplicate_vote", "light_client_attack")
# Why a validator is jailed, as given to staking (and seen in its Jailed event and hook).
REASON_DOWNTIME = "downtime"
REASON_DOUBLE_SIGN = "double_sign"

ConsAddress = Annotated[bytes, msgspec.Meta(min_length=20, max_length=20)]
Counter = Annotated[int, msgspec.Meta(ge=0, le=2**63 - 1)]


# ---- records -------------------------------------------------------------------------------------------------------
class SigningInfo(Record):
    """A validator's liveness record, by consensus address.

    ``index_offset`` counts the votes seen since ``start_height`` (the bitmap index is ``index_offset % window``);
    ``missed_blocks_counter`` is the number of bits set in the bitmap.
    """

    address: ConsAddress
    start_height: Height = 0
    index_offset: Counter = 0
    jailed_until_ns: Timestamp = 0
    tombstoned: bool = False
    missed_blocks_counter: Counter = 0


class SlashingPeriod(Record):
    """A stretch of bonded time: from a bond (``start_height``) to the next begin-unbonding (``end_height``, 0 while
    open). Infractions committed within one period together burn at most the highest fraction among them."""

    address: ConsAddress
    start_height: Height
    start_time_ns: Timestamp
    end_height: Height = 0
    slashed_so_far: Dec = Dec.ZERO


class MissedBlocks(Record):
    """The bitmap of one validator in genesis: the indices (ascending) of the blocks it missed in the window."""

    address: ConsAddress
    indices: list[Annotated[int, msgspec.Meta(ge=0)]] = []


class GenesisState(Record):
    """Slashing genesis: params, signing infos, missed-block bitmaps and slashing periods."""

    params: Params = msgspec.field(default_factory=Params)
    signing_infos: list[SigningInfo] = []
    missed_blocks: list[MissedBlocks] = []
    slashing_periods: list[SlashingPeriod] = []


# ---- msgs ----------------------------------------------------------------------------------------------------------
class MsgUnjail(Msg, tag="slashing/MsgUnjail"):
    """Ask for a jailed validator to rejoin the candidates; signed by its operator account."""

    validator: ValAddress

    def signer(self) -> Address:
        """The operator's account: the same 20 bytes as the operator address."""
        return Address.from_raw(self.validator.raw)


# ---- queries -------------------------------------------------------------------------------------------------------
class QuerySigningInfo(Record):
    """One signing info, by consensus address (hex) or by validator operator: give exactly one."""

    consensus_address: str = ""
    validator: ValAddress | None = None


class QuerySigningInfos(Record):
    pass


class QueryParams(Record):
    pass


class SigningInfoView(Record):
    """A signing info as served: the consensus address in hex and, if it still exists, the validator's operator."""

    consensus_address: str
    operator: ValAddress | None
    start_height: int
    index_offset: int
    jailed_until_ns: int
    tombstoned: bool
    missed_blocks_counter: int


class SigningInfosResponse(Record):
    signing_infos: list[SigningInfoView]

