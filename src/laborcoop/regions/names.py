"""How people shorten administrative names when they write them: 湖南省 -> 湖南, 湘西土家族苗族自治州 -> 湘西."""

# Longer suffixes first: 土家族苗族自治州 before 自治州 before 州.
_SHORT_SUFFIXES = ("土家族苗族自治州", "自治州", "自治区", "特别行政区", "地区", "盟", "州", "市", "省")


def short_region_name(name: str) -> str:
    """The name without its administrative suffix; names of two characters or fewer are kept whole."""
    for suffix in _SHORT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name
