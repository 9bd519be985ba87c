"""``surety tx insurance``: validators offer terms (create, edit, delete); delegators buy, extend, cancel, subscribe,
unsubscribe and switch insurances.

Every check of the msgs is the chain's: with ``--gas auto`` the simulation returns its coded error before anything
is signed. The CLI only turns text into the msg fields.
"""
from __future__ import annotations

import re
from typing import Annotated, Callable

import typer

from suretychain.cli.context import get_state
from suretychain.cli.tx.common import TxOptions, run_tx, with_tx_options
from suretychain.client.addresses import resolve_validator
from suretychain.core.dec import Dec
from suretychain.core.encoding import Address
from suretychain.core.tx import Msg
from suretychain.modules.insurance.types import (
    MsgBuyInsurance,
    MsgCancelInsurance,
    MsgCreateInsuranceTerm,
    MsgDeleteInsuranceTerm,
    MsgEditInsuranceTerm,
    MsgExtendInsurance,
    MsgSubscribeInsurance,
    MsgSwitchInsuranceTerm,
    MsgUnsubscribe,
    PremiumRate,
)
from suretychain.modules.staking.types import InfractionKind

app = typer.Typer(no_args_is_help=True, help="Slashing insurance: terms and insurances.")

RATE = re.compile(r"^(\d+(?:\.\d+)?)([a-z][a-z0-9/]{1,127})$")
SECOND_NS = 10**9


def parse_premium(text: str) -> list[PremiumRate]:
    """``0.01usrt,0.002uusd`` -> rates per insured unit of stake, one per denom (the chain checks order and sign)."""
    rates = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = RATE.match(part)
        if match is None:
            raise typer.BadParameter(f"expected <rate><denom> such as 0.01usrt, got {part!r}")
        rates.append(PremiumRate(denom=match.group(2), rate=Dec.from_str(match.group(1))))
    return rates


def parse_infractions(text: str) -> list[InfractionKind]:
    """``downtime,double_sign`` -> the covered infractions."""
    try:
        return [InfractionKind[name.strip().upper()] for name in text.split(",") if name.strip()]
    except KeyError as exc:
        raise typer.BadParameter(f"unknown infraction {exc.args[0].lower()!r}: use downtime, double_sign") from None


def parse_coverage(text: str) -> str:
    try:
        Dec.from_str(text)
    except ValueError:
        raise typer.BadParameter(f"expected a decimal like 0.8, got {text!r}") from None
    return text


FromKeyArgument = Annotated[str, typer.Argument(help="Name of the signing key.")]
TermIdArgument = Annotated[int, typer.Argument(help="Term id (see `surety query insurance terms`).")]
InsuranceIdArgument = Annotated[int, typer.Argument(help="Insurance id (see `surety query insurance insurances`).")]
CoverageOption = Annotated[str, typer.Option(callback=parse_coverage, help="Fraction of the loss refunded, in (0, 1].")]
PremiumOption = Annotated[str, typer.Option(help="Per insured unit of stake per duration, e.g. 0.01usrt "
                                            "(several denoms: comma-separated, sorted).")]
DurationOption = Annotated[int, typer.Option(help="Duration of one insurance period, in seconds.")]
InfractionsOption = Annotated[str, typer.Option(help="Covered infractions: downtime, double_sign or both "
                                                "(comma-separated).")]


def send(ctx: typer.Context, from_key: str, make_msg: Callable[[Address], Msg], options: TxOptions) -> None:
    """Sign and broadcast the one msg ``make_msg(signer)`` builds."""
    run_tx(get_state(ctx), from_key, lambda signer: [make_msg(Address(signer))], options)


@app.command("create-term")
@with_tx_options
def create_term(ctx: typer.Context, from_key: Annotated[str, typer.Argument(help="Key of the validator operator.")],
                coverage: CoverageOption = "0.8", premium: PremiumOption = "0usrt", duration: DurationOption = 86_400,
                infractions: InfractionsOption = "downtime,double_sign", *, options: TxOptions) -> None:
    """Offer a new insurance term to the validator's delegators."""
    rates, kinds = parse_premium(premium), parse_infractions(infractions)
    send(ctx, from_key, lambda signer: MsgCreateInsuranceTerm(
        operator=signer, coverage=Dec.from_str(coverage), premium=rates, duration_ns=duration * SECOND_NS,
        slashing_infractions=kinds), options)


@app.command("edit-term")
@with_tx_options
def edit_term(ctx: typer.Context, from_key: Annotated[str, typer.Argument(help="Key of the validator operator.")],
              term_id: TermIdArgument, coverage: CoverageOption = "0.8", premium: PremiumOption = "0usrt",
              duration: DurationOption = 86_400, infractions: InfractionsOption = "downtime,double_sign", *,
              options: TxOptions) -> None:
    """Replace a term by a new one (new id); insurances already bought keep the old term and cannot extend."""
    rates, kinds = parse_premium(premium), parse_infractions(infractions)
    send(ctx, from_key, lambda signer: MsgEditInsuranceTerm(
        operator=signer, term_id=term_id, coverage=Dec.from_str(coverage), premium=rates,
        duration_ns=duration * SECOND_NS, slashing_infractions=kinds), options)


@app.command("delete-term")
@with_tx_options
def delete_term(ctx: typer.Context, from_key: Annotated[str, typer.Argument(help="Key of the validator operator.")],
                term_id: TermIdArgument, *, options: TxOptions) -> None:
    """Withdraw a term (insurances already bought are unaffected)."""
    send(ctx, from_key, lambda signer: MsgDeleteInsuranceTerm(operator=signer, term_id=term_id), options)


@app.command("buy")
@with_tx_options
def buy(ctx: typer.Context, from_key: FromKeyArgument,
        validator: Annotated[str, typer.Argument(help="Validator: operator address or key name.")],
        term_id: TermIdArgument,
        insured_stake: Annotated[int, typer.Argument(help="Stake to insure, in base units of the bond denom.")],
        *, options: TxOptions) -> None:
    """Insure part of a delegation under a validator's term, paying the premium for one duration."""
    target = resolve_validator(validator, get_state(ctx).keyring())
    send(ctx, from_key, lambda signer: MsgBuyInsurance(delegator=signer, validator=target, term_id=term_id,
                                                       insured_stake=insured_stake), options)


def insurance_command(name: str, msg_type: type, doc: str) -> None:
    """Register ``surety tx insurance <name> FROM_KEY INSURANCE_ID`` sending ``msg_type``."""
    def command(ctx: typer.Context, from_key: FromKeyArgument, insurance_id: InsuranceIdArgument, *,
                options: TxOptions) -> None:
        send(ctx, from_key, lambda signer: msg_type(delegator=signer, insurance_id=insurance_id), options)

    command.__doc__ = doc
    app.command(name)(with_tx_options(command))


insurance_command("extend", MsgExtendInsurance, "Pay again for one more duration (only while the term is unchanged).")
insurance_command("cancel", MsgCancelInsurance, "End an insurance now (the unused premium is returned if the "
                  "cancel_refund param is on).")
insurance_command("subscribe", MsgSubscribeInsurance, "Renew automatically at each end date from your balance.")
insurance_command("unsubscribe", MsgUnsubscribe, "Stop automatic renewal; the insurance runs to its end date.")


@app.command("switch")
@with_tx_options
def switch(ctx: typer.Context, from_key: FromKeyArgument, insurance_id: InsuranceIdArgument,
           term_id: Annotated[int, typer.Argument(help="Another term of the same validator.")],
           *, options: TxOptions) -> None:
    """Move an insurance to another term of its validator (the unused premium counts toward the new one)."""
    send(ctx, from_key, lambda signer: MsgSwitchInsuranceTerm(delegator=signer, insurance_id=insurance_id,
                                                              term_id=term_id), options)
