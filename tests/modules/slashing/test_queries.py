"""Slashing queries: signing-info by consensus address or operator, signing-infos, params."""
from __future__ import annotations

import pytest

from suretychain.core.errors import SuretyError
from suretychain.modules.slashing import errors as E

from .helpers import WINDOW, slashing_chain


def test_signing_info_by_hex_address_and_by_operator_agree():
    chain = slashing_chain()
    chain.advance(2)
    cons = chain.consensus_address("val1")
    by_hex = chain.query("slashing/signing-info", consensus_address=cons.hex())
    by_operator = chain.query("slashing/signing-info", validator=str(chain.valoper("val1")))
    assert by_hex == by_operator
    assert by_hex["consensus_address"] == cons.hex() and by_hex["operator"] == str(chain.valoper("val1"))
    assert by_hex["index_offset"] == 2 and by_hex["missed_blocks_counter"] == 0


def test_signing_infos_lists_every_bonded_validator():
    chain = slashing_chain()
    infos = chain.query("slashing/signing-infos")["signing_infos"]
    assert sorted(i["consensus_address"] for i in infos) == sorted(chain.consensus_address(f"val{i}").hex()
                                                                   for i in range(4))


def test_params():
    chain = slashing_chain()
    params = chain.query("slashing/params")
    assert params["signed_blocks_window"] == WINDOW and params["slash_fraction_double_sign"] == "0.05"


@pytest.mark.parametrize("request_, error", [
    ({"consensus_address": "00" * 20}, E.ErrNoSigningInfoFound),
    ({"consensus_address": "zz"}, E.ErrInvalidConsensusAddress),
    ({"consensus_address": "00" * 19}, E.ErrInvalidConsensusAddress),
    ({}, E.ErrInvalidConsensusAddress),
])
def test_invalid_signing_info_requests(request_, error):
    chain = slashing_chain()
    with pytest.raises(SuretyError) as info:
        chain.query("slashing/signing-info", **request_)
    assert (info.value.codespace, info.value.code) == (error.codespace, error.code)


def test_invalid_signing_info_for_an_unknown_operator():
    chain = slashing_chain()
    with pytest.raises(SuretyError) as info:
        chain.query("slashing/signing-info", validator=str(chain.valoper("alice")))
    assert E.ErrNoValidatorForAddress.is_(info.value)
