"""Region subtrees as ranges of 12-digit codes.

Every region code is a 12-digit string, so the subtree of prefix `4331` is exactly the codes between
`433100000000` and `433199999999`. A range (rather than LIKE '4331%') uses a plain B-tree index on both
SQLite and PostgreSQL whatever the collation, and the same index also serves ORDER BY region_code.
"""

from django.db.models import Q


def code_range(prefix: str) -> tuple[str, str]:
    return prefix.ljust(12, "0"), prefix.ljust(12, "9")


def in_subtree_q(prefix: str, field: str = "region") -> Q:
    """A filter for rows whose `field` (a Region FK or a code column) lies in the subtree of `prefix`."""
    if not prefix:
        return Q()
    low, high = code_range(prefix)
    return Q(**{f"{field}__gte": low, f"{field}__lte": high})


def is_region_code(value: str) -> bool:
    """A full 12-digit region code (user input is checked with this before it becomes a filter)."""
    return len(value) == 12 and value.isdigit()


def code_in_subtree(code: str, prefix: str) -> bool:
    return code.startswith(prefix)


def province_code_of(region_code: str) -> str:
    """The 12-digit code of the province containing `region_code` (any level)."""
    return region_code[:2] + "0" * 10
