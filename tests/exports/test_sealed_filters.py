"""Background export jobs keep a searched ID or mobile number only encrypted."""

from laborcoop.exports.filters import open_filters, seal_filters


def test_search_with_personal_data_is_sealed_and_reopens() -> None:
    filters = {"q": "43312219800315123X", "labor_skill": "普通劳动力", "region": "433122000000"}
    sealed = seal_filters(filters)
    assert "43312219800315123X" not in str(sealed)
    assert sealed["labor_skill"] == "普通劳动力"
    assert sealed["region"] == "433122000000"
    assert open_filters(sealed) == filters


def test_mobile_search_is_sealed() -> None:
    sealed = seal_filters({"q": "13812345678"})
    assert "13812345678" not in str(sealed)
    assert open_filters(sealed) == {"q": "13812345678"}
