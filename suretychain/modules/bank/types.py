"""Bank records, msgs, params, errors and events."""
from __future__ import annotations

from typing import Annotated, ClassVar

import msgspec

from suretychain.core.encoding import Address, Record
from suretychain.core.errors import register_error
from suretychain.core.events import TypedEvent
from suretychain.core.tx import Coin, Coins, Msg

MODULE = "bank"
MAX_MULTISEND_OUTPUTS = 64

# ---- errors (codes never reused) ---------------------------------------------------------------------------------
ErrSendDisabled = register_error(MODULE, 2, "sends are disabled")
ErrBlockedRecipient = register_error(MODULE, 3, "recipient is a module account and cannot receive sends")
ErrInputOutputMismatch = register_error(MODULE, 4, "sum of inputs does not equal sum of outputs")
ErrMultipleInputs = register_error(MODULE, 5, "multi-send takes exactly one input")
ErrNoOutputs = register_error(MODULE, 6, "no outputs")
ErrSupplyOverflow = register_error(MODULE, 7, "total supply would exceed the 64-bit bound")
ErrModulePermission = register_error(MODULE, 8, "module account lacks the permission")
ErrUnknownModuleAccount = register_error(MODULE, 9, "unknown module account")


# ---- params ------------------------------------------------------------------------------------------------------
class Params(Record):
    """Bank params (changeable by governance)."""

    send_enabled: bool = True


# ---- records -----------------------------------------------------------------------------------------------------
class Balance(Record):
    """All coins of one address (genesis and queries)."""

    address: Address
    coins: Coins


class GenesisState(Record):
    """Bank genesis: params, balances and (optionally) the supply they must add up to."""

    params: Params = msgspec.field(default_factory=Params)
    balances: list[Balance] = []
    supply: Coins = []


# ---- msgs --------------------------------------------------------------------------------------------------------
class MsgSend(Msg, tag="bank/MsgSend"):
    """Move coins from the signer to another account."""

    SIGNER_FIELD: ClassVar[str] = "from_address"
    from_address: Address
    to_address: Address
    amount: Coins


class Input(Record):
    """One payer of a multi-send."""

    address: Address
    coins: Coins


class Output(Record):
    """One payee of a multi-send."""

    address: Address
    coins: Coins


class MsgMultiSend(Msg, tag="bank/MsgMultiSend"):
    """One input paying many outputs; inputs and outputs must add up to the same coins."""

    SIGNER_FIELD: ClassVar[str] = ""
    inputs: Annotated[list[Input], msgspec.Meta(max_length=1)]
    outputs: Annotated[list[Output], msgspec.Meta(max_length=MAX_MULTISEND_OUTPUTS)]

    def signer(self) -> Address:
        """The single input signs (a multi-send with no input is rejected by its handler)."""
        return self.inputs[0].address if self.inputs else Address.from_raw(bytes(20))


# ---- queries -----------------------------------------------------------------------------------------------------
class QueryBalance(Record):
    address: Address
    denom: str


class QueryBalances(Record):
    address: Address


class QuerySupply(Record):
    denom: str = ""


class QueryParams(Record):
    pass


class BalancesResponse(Record):
    address: Address
    coins: list[Coin]


class SupplyResponse(Record):
    supply: list[Coin]


# ---- events ------------------------------------------------------------------------------------------------------
class BankEvent(TypedEvent):
    """Base of bank events."""

    MODULE: ClassVar[str] = MODULE


class Transfer(BankEvent):
    """Coins moved between two accounts."""

    sender: Address
    recipient: Address
    amount: list[Coin]


class CoinsMinted(BankEvent):
    """New coins created into a module account."""

    minter: Address
    amount: list[Coin]


class CoinsBurned(BankEvent):
    """Coins destroyed from a module account."""

    burner: Address
    amount: list[Coin]
