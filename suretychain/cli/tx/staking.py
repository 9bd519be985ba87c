"""``surety tx staking``: create and edit validators; delegate, unbond, redelegate, cancel an unbonding.

Validators are named by operator address (``surevaloper1...``) or by the name of a key in the keyring. Every check
of the msgs is the chain's: with ``--gas auto`` the simulation returns its coded error before anything is signed.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from suretychain.cli.context import CliError, CliState, get_state
from suretychain.cli.tx.common import TxOptions, run_tx, with_tx_options
from suretychain.client.addresses import resolve_validator
from suretychain.client.coins import parse_coin
from suretychain.client.validator_keys import (
    ValidatorPubKeys,
    compute_keys_path,
    generate_validator_keys,
    read_validator_pubkeys,
)
from suretychain.core.dec import Dec
from suretychain.core.encoding import Address, ValAddress, convert
from suretychain.modules.staking.types import (
    Description,
    MsgBeginRedelegate,
    MsgCancelUnbondingDelegation,
    MsgCreateValidator,
    MsgDelegate,
    MsgEditValidator,
    MsgUndelegate,
)

app = typer.Typer(no_args_is_help=True, help="Validators and delegations.")


def parse_dec(value: Optional[str]) -> Optional[str]:
    """A decimal such as 0.1 (kept as text; the chain decides which rates are allowed)."""
    if value is not None:
        try:
            Dec.from_str(value)
        except ValueError:
            raise typer.BadParameter(f"expected a decimal like 0.1, got {value!r}") from None
    return value


def parse_hex(value: Optional[str]) -> Optional[str]:
    """Hex text (kept as text; the chain decides which keys are acceptable)."""
    if value is not None:
        try:
            bytes.fromhex(value)
        except ValueError:
            raise typer.BadParameter(f"expected hex, got {value!r}") from None
    return value


FromKeyArgument = Annotated[str, typer.Argument(help="Name of the signing key.")]
ValidatorArgument = Annotated[str, typer.Argument(help="Validator: operator address (surevaloper1...) or key name.")]
AmountArgument = Annotated[str, typer.Argument(help="Amount in the bond denom, e.g. 1000000usrt.")]
RateOption = Annotated[Optional[str], typer.Option(callback=parse_dec, help="Decimal, e.g. 0.1.")]
MonikerOption = Annotated[Optional[str], typer.Option(help="Validator name.")]
WebsiteOption = Annotated[Optional[str], typer.Option(help="Validator website.")]
DetailsOption = Annotated[Optional[str], typer.Option(help="Validator details.")]


def validator_of(state: CliState, text: str) -> ValAddress:
    """A validator named on the command line."""
    return resolve_validator(text, state.keyring())


@app.command("create-validator")
@with_tx_options
def create_validator(
    ctx: typer.Context,
    from_key: Annotated[str, typer.Argument(help="Key of the operator account (pays the self-bond and signs).")],
    amount: Annotated[str, typer.Argument(help="Initial self-bond, e.g. 1000000usrt.")],
    moniker: MonikerOption = None,
    website: Annotated[str, typer.Option(help="Validator website.")] = "",
    details: Annotated[str, typer.Option(help="Validator details.")] = "",
    commission_rate: Annotated[str, typer.Option(callback=parse_dec, help="Commission rate.")] = "0.1",
    commission_max_rate: Annotated[str, typer.Option(callback=parse_dec, help="Highest rate it may ever charge.")]
    = "0.2",
    commission_max_change_rate: Annotated[str, typer.Option(callback=parse_dec, help="Most the rate may change "
                                                            "per day.")] = "0.01",
    min_self_delegation: Annotated[int, typer.Option(help="Least self-delegation it commits to (base units).")] = 1,
    consensus_pubkey: Annotated[Optional[str], typer.Option(callback=parse_hex, help="Consensus (ed25519) public "
                                                            "key, hex.")] = None,
    consensus_key_file: Annotated[Optional[Path], typer.Option(help="Key file: from --generate-keys, a devnet "
                                                               "validators/<name>.json or CometBFT's "
                                                               "priv_validator_key.json.")] = None,
    vrf_pubkey: Annotated[Optional[str], typer.Option(callback=parse_hex, help="VRF public key, hex (default: "
                                                      "from the key file).")] = None,
    generate_keys: Annotated[bool, typer.Option("--generate-keys", help="Generate consensus and VRF keys into "
                                                "<home>/validator_keys/<from_key>.json.")] = False,
    *,
    options: TxOptions,
) -> None:
    """Become a validator: the key's account is the operator, AMOUNT its first self-bond."""
    state = get_state(ctx)
    self_bond = parse_coin(amount)
    keys = validator_pubkeys(state, from_key, consensus_pubkey, consensus_key_file, vrf_pubkey, generate_keys)
    description = Description(moniker=from_key if moniker is None else moniker, website=website, details=details)
    run_tx(state, from_key, lambda signer: [MsgCreateValidator(
        operator=Address(signer), consensus_pubkey=keys.consensus, vrf_pubkey=keys.vrf, description=description,
        commission_rate=Dec.from_str(commission_rate), commission_max_rate=Dec.from_str(commission_max_rate),
        commission_max_change_rate=Dec.from_str(commission_max_change_rate), min_self_delegation=min_self_delegation,
        self_bond=self_bond)], options)


def validator_pubkeys(state: CliState, name: str, consensus_pubkey: str | None, key_file: Path | None,
                      vrf_pubkey: str | None, generate: bool) -> ValidatorPubKeys:
    """The keys of a new validator from exactly one source: --consensus-pubkey, --consensus-key-file or
    --generate-keys (VRF: --vrf-pubkey, else the file's)."""
    if sum((consensus_pubkey is not None, key_file is not None, generate)) != 1:
        raise CliError("give exactly one of --consensus-pubkey, --consensus-key-file and --generate-keys")
    if generate:
        state.keyring().show(name)  # no keys for a signer that does not exist
        keys = generate_validator_keys(compute_keys_path(state.home, name), name)
    elif key_file is not None:
        keys = read_validator_pubkeys(key_file.expanduser())
    else:
        keys = ValidatorPubKeys(consensus=bytes.fromhex(consensus_pubkey or ""), vrf=None)
    vrf = bytes.fromhex(vrf_pubkey) if vrf_pubkey is not None else keys.vrf
    if vrf is None:
        raise CliError("--vrf-pubkey is required (the consensus key source has no VRF key)")
    return ValidatorPubKeys(consensus=keys.consensus, vrf=vrf)


@app.command("edit-validator")
@with_tx_options
def edit_validator(
    ctx: typer.Context,
    from_key: Annotated[str, typer.Argument(help="Key of the operator account.")],
    moniker: MonikerOption = None,
    website: WebsiteOption = None,
    details: DetailsOption = None,
    commission_rate: RateOption = None,
    min_self_delegation: Annotated[Optional[int], typer.Option(help="New minimum self-delegation (base units; "
                                                               "may only rise).")] = None,
    *,
    options: TxOptions,
) -> None:
    """Change a validator's description, commission rate or minimum self-delegation (fields not given stay)."""
    state = get_state(ctx)
    description = edited_description(state, from_key, moniker, website, details)
    rate = None if commission_rate is None else Dec.from_str(commission_rate)
    run_tx(state, from_key, lambda signer: [MsgEditValidator(
        operator=Address(signer), description=description, commission_rate=rate,
        min_self_delegation=min_self_delegation)], options)


def edited_description(state: CliState, from_key: str, moniker: str | None, website: str | None,
                       details: str | None) -> Description | None:
    """The validator's current description with the given fields replaced (None if none is given)."""
    changes = {k: v for k, v in (("moniker", moniker), ("website", website), ("details", details)) if v is not None}
    if not changes:
        return None
    with state.client() as client:
        current = client.validator(validator_of(state, from_key))["description"]
    return convert({**current, **changes}, Description)


@app.command("delegate")
@with_tx_options
def delegate(
    ctx: typer.Context,
    from_key: FromKeyArgument,
    validator: ValidatorArgument,
    amount: AmountArgument,
    *,
    options: TxOptions,
) -> None:
    """Delegate AMOUNT to a validator."""
    state = get_state(ctx)
    target, coin = validator_of(state, validator), parse_coin(amount)
    run_tx(state, from_key,
           lambda signer: [MsgDelegate(delegator=Address(signer), validator=target, amount=coin)], options)


@app.command("unbond")
@with_tx_options
def unbond(
    ctx: typer.Context,
    from_key: FromKeyArgument,
    validator: ValidatorArgument,
    amount: AmountArgument,
    *,
    options: TxOptions,
) -> None:
    """Start unbonding AMOUNT from a validator (paid out after the unbonding time)."""
    state = get_state(ctx)
    target, coin = validator_of(state, validator), parse_coin(amount)
    run_tx(state, from_key,
           lambda signer: [MsgUndelegate(delegator=Address(signer), validator=target, amount=coin)], options)


@app.command("redelegate")
@with_tx_options
def redelegate(
    ctx: typer.Context,
    from_key: FromKeyArgument,
    src_validator: Annotated[str, typer.Argument(help="Source validator: operator address or key name.")],
    dst_validator: Annotated[str, typer.Argument(help="Destination validator: operator address or key name.")],
    amount: AmountArgument,
    *,
    options: TxOptions,
) -> None:
    """Move AMOUNT of delegation from one validator to another at once."""
    state = get_state(ctx)
    src, dst, coin = validator_of(state, src_validator), validator_of(state, dst_validator), parse_coin(amount)
    run_tx(state, from_key, lambda signer: [MsgBeginRedelegate(delegator=Address(signer), src_validator=src,
                                                               dst_validator=dst, amount=coin)], options)


@app.command("cancel-unbond")
@with_tx_options
def cancel_unbond(
    ctx: typer.Context,
    from_key: FromKeyArgument,
    validator: ValidatorArgument,
    amount: AmountArgument,
    creation_height: Annotated[int, typer.Argument(help="Height the unbonding entry was created at (see "
                                                   "`surety query staking unbonding`).")],
    *,
    options: TxOptions,
) -> None:
    """Put AMOUNT of an unbonding entry back into the delegation it came from."""
    state = get_state(ctx)
    target, coin = validator_of(state, validator), parse_coin(amount)
    run_tx(state, from_key, lambda signer: [MsgCancelUnbondingDelegation(
        delegator=Address(signer), validator=target, amount=coin, creation_height=creation_height)], options)
