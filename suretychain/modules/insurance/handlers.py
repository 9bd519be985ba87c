"""The insurance msg server: one route per msg, each to its ``process_<msg>`` rule."""
from __future__ import annotations

from functools import partial

from suretychain.core.module import MsgRoute
from suretychain.modules.insurance.keeper import InsuranceKeeper
from suretychain.modules.insurance.purchase import (
    process_buy_insurance,
    process_cancel_insurance,
    process_extend_insurance,
    process_subscribe_insurance,
    process_switch_insurance_term,
    process_unsubscribe,
)
from suretychain.modules.insurance.terms import (
    process_create_insurance_term,
    process_delete_insurance_term,
    process_edit_insurance_term,
)
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
)


def msg_routes(keeper: InsuranceKeeper) -> tuple[MsgRoute, ...]:
    """Insurance msgs, their rules and base gas."""
    return (
        MsgRoute(MsgCreateInsuranceTerm, partial(process_create_insurance_term, keeper), 5_000),
        MsgRoute(MsgEditInsuranceTerm, partial(process_edit_insurance_term, keeper), 5_000),
        MsgRoute(MsgDeleteInsuranceTerm, partial(process_delete_insurance_term, keeper), 3_000),
        MsgRoute(MsgBuyInsurance, partial(process_buy_insurance, keeper), 10_000),
        MsgRoute(MsgExtendInsurance, partial(process_extend_insurance, keeper), 8_000),
        MsgRoute(MsgCancelInsurance, partial(process_cancel_insurance, keeper), 8_000),
        MsgRoute(MsgSubscribeInsurance, partial(process_subscribe_insurance, keeper), 3_000),
        MsgRoute(MsgUnsubscribe, partial(process_unsubscribe, keeper), 3_000),
        MsgRoute(MsgSwitchInsuranceTerm, partial(process_switch_insurance_term, keeper), 10_000),
    )
