"""Court reads through ``court/<route>``: params, courts, disputes (filters), a round's votes, jurors, history.

The answers are the court module's query JSON passed through (so fields the module adds appear without an API
change), with its bytes (vote commitments, evidence digests) as hex like every other answer. Optional filters are
sent to the query only when given; ids and the history cursor are checked by type and shape (``api/400``),
addresses as the chain does (``sdk/7``).
"""
from __future__ import annotations

import base64
from typing import Any

from fastapi import APIRouter, Depends, Path, Query

from suretychain.api.deps import ChainView, chain_view
from suretychain.core.encoding import Address, parse_address

router = APIRouter(prefix="/court", tags=["court"])

HISTORY_CURSOR = r"^[0-9]+/[0-9]+$"  # juror-history's start_after: "<dispute id>/<round>" (malformed: api/400)
BYTES_FIELDS = frozenset({"commitment", "digest"})  # base64 in the query JSON, hex in the API


def present_court(value: Any) -> Any:
    """``value`` with every ``commitment`` and ``digest`` field turned from base64 into hex."""
    if isinstance(value, dict):
        return {k: hex_of(v) if k in BYTES_FIELDS and isinstance(v, str) else present_court(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [present_court(item) for item in value]
    return value


def hex_of(text: str) -> str:
    return base64.b64decode(text).hex()


def given(**fields: Any) -> dict[str, Any]:
    """The optional request fields that were given."""
    return {name: value for name, value in fields.items() if value is not None}


def juror_address(address: str) -> Address:
    """A juror's account address from the path (malformed: the chain's ``sdk/7``)."""
    return parse_address(address, Address)


@router.get("/params")
async def get_params(view: ChainView = Depends(chain_view)) -> dict[str, Any]:
    """The court module's params."""
    return present_court(view.query("court/params"))


@router.get("/courts")
async def get_courts(view: ChainView = Depends(chain_view)) -> dict[str, Any]:
    """The court tree: every court with its parent and params, by id."""
    return present_court(view.query("court/courts"))


@router.get("/disputes")
async def get_disputes(court: int | None = Query(None, ge=0, description="only this court's disputes"),
                       open_only: bool | None = Query(None, description="only disputes not finally ruled"),
                       limit: int | None = Query(None, ge=1, description="at most this many"),
                       start_after: int | None = Query(None, ge=0, description="page: ids after this one"),
                       view: ChainView = Depends(chain_view)) -> dict[str, Any]:
    """Disputes by id, with their period, rounds and ruling."""
    request = given(court=court, open_only=open_only, limit=limit, start_after=start_after)
    return present_court(view.query("court/disputes", **request))


@router.get("/disputes/{dispute_id}")
async def get_dispute(dispute_id: int = Path(ge=0), view: ChainView = Depends(chain_view)) -> dict[str, Any]:
    """One dispute: parties, options, evidence, rounds (jurors once drawn, votes once revealed), ruling."""
    return present_court(view.query("court/dispute", id=dispute_id))


@router.get("/disputes/{dispute_id}/rounds/{round_index}/votes")
async def get_votes(dispute_id: int = Path(ge=0), round_index: int = Path(ge=0),
                    view: ChainView = Depends(chain_view)) -> dict[str, Any]:
    """The votes of one round (choice, magnitude and reason only once revealed)."""
    return present_court(view.query("court/votes", dispute_id=dispute_id, round=round_index))


@router.get("/jurors/{address}")
async def get_juror(address: str, view: ChainView = Depends(chain_view)) -> dict[str, Any]:
    """A juror's totals (staked, locked), direct stakes and pending withdrawals (history totals where served)."""
    return present_court(view.query("court/juror", juror=juror_address(address)))


@router.get("/jurors/{address}/history")
async def get_juror_history(address: str, limit: int | None = Query(None, ge=1, description="at most this many"),
                            start_after: str | None = Query(None, pattern=HISTORY_CURSOR,
                                                            description='page: "<dispute id>/<round>", the '
                                                                        "answer's next_start_after"),
                            view: ChainView = Depends(chain_view)) -> dict[str, Any]:
    """A page of the rounds a juror sat in: its vote, coherence, and what it was paid or lost; the answer's
    ``next_start_after`` (empty on the last page) is the next page's ``start_after``."""
    request = given(juror=juror_address(address), limit=limit, start_after=start_after)
    return present_court(view.query("court/juror-history", **request))
