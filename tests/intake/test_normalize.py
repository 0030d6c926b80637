from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from laborcoop.core.text import clean_text, map_choice
from laborcoop.core.validation.idcard import detect_excel_damage
from laborcoop.employers.choices import EnterpriseSize, Industry, SexRequirement
from laborcoop.intake.normalize import (
    clean_id,
    clean_name,
    clean_phone,
    excel_serial_to_date,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    parse_month,
    split_multi,
)
from laborcoop.registry import choices as c


class TestCleanText:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            (None, ""),
            ("  张三  ", "张三"),
            ("４３３１２２", "433122"),
            ("泸溪县\u3000浦市镇", "泸溪县 浦市镇"),
            ("a \t\n b", "a b"),
            ('="430524199001011234"', "430524199001011234"),
            ("'430524199001011234", "430524199001011234"),
            ("张\u200b三\ufeff", "张三"),
            ("（必填）", "(必填)"),
            (433122, "433122"),
        ],
    )
    def test_cases(self, raw: object, expected: str) -> None:
        assert clean_text(raw) == expected

    @given(st.text())
    def test_idempotent(self, text: str) -> None:
        once = clean_text(text)
        assert clean_text(once) == once


class TestCleanCodes:
    def test_clean_id_strips_wrappers_and_fullwidth(self) -> None:
        assert clean_id('="４３１１２７１９８００３１５１２３ｘ"') == "43112719800315123X"
        assert clean_id(" 4311 2719 8003 1512 3x ") == "43112719800315123X"

    def test_clean_id_keeps_damaged_number_visible(self) -> None:
        cleaned = clean_id("4.31127198003151E+17")
        assert cleaned == "4.31127198003151E+17"
        assert detect_excel_damage(cleaned)

    def test_clean_id_old_id_read_as_float(self) -> None:
        assert clean_id("430524900101123.0") == "430524900101123"

    def test_clean_name_traditional_to_simplified(self) -> None:
        assert clean_name(" 張 偉 ") == "张伟"
        assert clean_name("買買提·吐爾遜") == "买买提·吐尔逊"
        assert clean_name(None) == ""

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("138 1234 5678", "13812345678"),
            ("+86-138-1234-5678", "13812345678"),
            ("１３８１２３４５６７８", "13812345678"),
            ("13812345678.0", "13812345678"),
            ("", ""),
        ],
    )
    def test_clean_phone(self, raw: str, expected: str) -> None:
        assert clean_phone(raw) == expected


class TestParseDate:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("2023-05-01", date(2023, 5, 1)),
            ("2023/5/1", date(2023, 5, 1)),
            ("2023.5.1", date(2023, 5, 1)),
            ("20230501", date(2023, 5, 1)),
            ("19800315", date(1980, 3, 15)),
            ("1980-3-15", date(1980, 3, 15)),
            ("2023年05月01日", date(2023, 5, 1)),
            ("2023年5月1日", date(2023, 5, 1)),
            ("２０２３年５月", date(2023, 5, 1)),
            ("2023年5月", date(2023, 5, 1)),
            ("202305", date(2023, 5, 1)),
            ("2023-05", date(2023, 5, 1)),
            ("2023-05-01T08:30:00", date(2023, 5, 1)),
            ("2023-05-01 08:30:00", date(2023, 5, 1)),
            ("2023/5/1 8:30", date(2023, 5, 1)),
            ("45047", date(2023, 5, 1)),
            ("45047.75", date(2023, 5, 1)),
            (45047, date(2023, 5, 1)),
            (45047.5, date(2023, 5, 1)),
            (29295, date(1980, 3, 15)),
            (20230501, date(2023, 5, 1)),
            (date(2023, 5, 1), date(2023, 5, 1)),
            (datetime(2023, 5, 1, 8, 30), date(2023, 5, 1)),
        ],
    )
    def test_accepted_forms(self, raw: object, expected: date) -> None:
        assert parse_date(raw) == expected

    @pytest.mark.parametrize(
        "raw",
        [None, "", "abc", "2023-13-01", "2023-02-30", "20231301", "2023", "2023-05-01 nonsense", True, -5, 0,
         float("nan"), float("inf"), 10**30, "2023年13月", "0000-01-01"],
    )  # fmt: skip
    def test_rejected(self, raw: object) -> None:
        assert parse_date(raw) is None

    @pytest.mark.parametrize(
        ("serial", "expected"),
        [
            (1, date(1900, 1, 1)),
            (59, date(1900, 2, 28)),
            (60, None),  # the phantom 1900-02-29
            (61, date(1900, 3, 1)),
            (45047, date(2023, 5, 1)),
            (2958465, date(9999, 12, 31)),
            (2958466, None),
            (0, None),
        ],
    )
    def test_excel_serials(self, serial: int, expected: date | None) -> None:
        assert excel_serial_to_date(serial) == expected

    @given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.none()))
    def test_never_raises(self, value: object) -> None:
        result = parse_date(value)
        assert result is None or isinstance(result, date)

    @given(st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)))
    def test_round_trips_formatted_dates(self, day: date) -> None:
        forms = [
            day.isoformat(),
            f"{day.year}/{day.month}/{day.day}",
            f"{day.year}.{day.month}.{day.day}",
            day.strftime("%Y%m%d"),
            f"{day.year}年{day.month:02d}月{day.day:02d}日",
            f"{day.isoformat()}T12:34:56",
        ]
        serial = (day - date(1899, 12, 30)).days
        if not 1800 <= serial <= 2200:  # a four-digit number that looks like a year is ambiguous: None
            forms.append(str(serial))
        for form in forms:
            assert parse_date(form) == day, form
        assert parse_month(f"{day.year}年{day.month}月") == day.replace(day=1)
        assert parse_month(day.strftime("%Y%m")) == day.replace(day=1)

    def test_parse_month(self) -> None:
        assert parse_month("2023-05-17") == date(2023, 5, 1)
        assert parse_month("2023年5月") == date(2023, 5, 1)
        assert parse_month("garbage") is None


class TestParseBool:
    @pytest.mark.parametrize("raw", ["是", "有", "Y", "y", "1", "true", "TRUE", "√", 1, 1.0, True, "1.0"])
    def test_true(self, raw: object) -> None:
        assert parse_bool(raw) is True

    @pytest.mark.parametrize("raw", ["否", "无", "N", "0", "false", "×", 0, False, "0.0"])
    def test_false(self, raw: object) -> None:
        assert parse_bool(raw) is False

    @pytest.mark.parametrize("raw", [None, "", "也许", 2, "是的吧"])
    def test_unknown(self, raw: object) -> None:
        assert parse_bool(raw) is None


class TestNumbers:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [("3000", 3000), ("3,000", 3000), ("3000元", 3000), ("3000.0", 3000), ("30人", 30), ("0.5万", 5000)],
    )
    def test_parse_int(self, raw: str, expected: int) -> None:
        assert parse_int(raw) == expected

    @pytest.mark.parametrize("raw", [None, "", "abc", "2500.5", "1e5", "nan", True])
    def test_parse_int_rejects(self, raw: object) -> None:
        assert parse_int(raw) is None

    def test_parse_decimal(self) -> None:
        assert parse_decimal("2500.50") == Decimal("2500.50")
        assert parse_decimal("Infinity") is None

    @given(st.text())
    def test_numbers_never_raise(self, text: str) -> None:
        parse_int(text)
        parse_decimal(text)


class TestSplitMulti:
    def test_split(self) -> None:
        assert split_multi("残疾，长期慢性病") == ["残疾", "长期慢性病"]
        assert split_multi("残疾、长期慢性病; 残疾") == ["残疾", "长期慢性病"]
        assert split_multi(None) == []
        assert split_multi("") == []


class TestMapChoice:
    @pytest.mark.parametrize(
        ("raw", "choices", "expected"),
        [
            ("男", c.Sex, "1"),
            ("女", c.Sex, "2"),
            ("1", c.Sex, "1"),
            ("1.0", c.Sex, "1"),
            ("男性", c.Sex, "1"),
            ("高中", c.Education, "高中"),
            ("文盲", c.Education, "文盲或半文盲"),
            ("户主本人", c.Relation, "户主"),
            ("妻", c.Relation, "配偶"),
            ("丈夫", c.Relation, "配偶"),
            ("子", c.Relation, "之子"),
            ("女", c.Relation, "之女"),
            ("女儿", c.Relation, "之女"),
            ("长子", c.Relation, "之子"),
            ("孙子", c.Relation, "之孙子"),
            ("孙女", c.Relation, "之孙女"),
            ("父亲", c.Relation, "之父"),
            ("母亲", c.Relation, "之母"),
            ("儿媳", c.Relation, "之儿媳"),
            ("女婿", c.Relation, "之女婿"),
            ("之子", c.Relation, "之子"),
            ("健康", c.Health, "健康"),
            ("慢性病", c.Health, "长期慢性病"),
            ("普通劳动力", c.LaborSkill, "普通劳动力"),
            ("技能劳动力", c.LaborSkill, "技能劳动力"),
            ("弱劳动力", c.LaborSkill, "弱劳动力或半劳动力"),
            ("半劳动力", c.LaborSkill, "弱劳动力或半劳动力"),
            ("丧失劳动力", c.LaborSkill, "丧失劳动力"),
            ("无劳动力", c.LaborSkill, "无劳动力"),
            ("党员", c.PoliticalStatus, "中共党员"),
            ("团员", c.PoliticalStatus, "共青团员"),
            ("已就业", c.EmploymentStatus, "employed"),
            ("制造业", Industry, "C"),
            ("c", Industry, "C"),
            ("小型企业", EnterpriseSize, "small"),
            ("不限", SexRequirement, ""),
            (" 配 偶 ", c.Relation, "配偶"),
        ],
    )
    def test_maps(self, raw: str, choices: type, expected: str) -> None:
        assert map_choice(raw, choices) == expected

    @pytest.mark.parametrize(
        ("raw", "choices"),
        [("", c.Sex), (None, c.Sex), ("3", c.Sex), ("外星人", c.Relation), ("妻", c.Sex), ("之", c.Relation)],
    )
    def test_unknown_is_none(self, raw: object, choices: type) -> None:
        assert map_choice(raw, choices) is None

    def test_custom_aliases_and_pairs(self) -> None:
        pairs = [("01", "县内"), ("02", "省内县外")]
        assert map_choice("本县", pairs, aliases={"本县": "县内"}) == "01"
        assert map_choice("02", pairs) == "02"
        assert map_choice("妻", c.Relation, aliases={}) is None  # no default aliases
