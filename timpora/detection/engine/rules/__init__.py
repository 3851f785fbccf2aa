"""The rules, in the order they are evaluated and listed."""

from timpora.detection.engine.base import Rule
from timpora.detection.engine.rules import (
    activity_mismatch,
    crowding,
    expiring,
    frequent_moves,
    late_report,
    missing_report,
    no_permit,
    overstay,
    watchlist,
    wrong_sponsor,
)

RULES: dict[str, Rule] = {
    module.RULE.code: module.RULE
    for module in (
        overstay,
        expiring,
        activity_mismatch,
        wrong_sponsor,
        no_permit,
        late_report,
        missing_report,
        crowding,
        frequent_moves,
        watchlist,
    )
}
