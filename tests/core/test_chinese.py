import pytest

from laborcoop.core.chinese import given_pinyin, name_pinyin, normalize_name, surname_pinyin_variants


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" 張　偉 ", "张伟"),
        ("劉德華", "刘德华"),
        ("ＡＢ张", "AB张"),
        ("阿卜杜•热合曼", "阿卜杜·热合曼"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_name(raw: object, expected: str) -> None:
    assert normalize_name(raw) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("张伟", "zhangwei"), ("单雄信", "shanxiongxin"), ("曾国藩", "zengguofan"), ("区小明", "ouxiaoming"),
     ("令狐冲", "linghuchong"), ("仇英", "qiuying"), ("", "")],
)  # fmt: skip
def test_name_pinyin_reads_surnames_as_surnames(name: str, expected: str) -> None:
    assert name_pinyin(name) == expected


def test_homophones_share_pinyin() -> None:
    assert name_pinyin("张伟") == name_pinyin("章玮")


def test_surname_variants_include_every_reading() -> None:
    assert surname_pinyin_variants("曾国藩") == ["ceng", "zeng"]
    assert "shan" in surname_pinyin_variants("单田芳")
    assert given_pinyin("张伟") == "wei"
