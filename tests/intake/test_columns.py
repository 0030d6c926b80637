import pytest

from laborcoop.intake.columns import (
    COLUMNS,
    MISSING_ONE_OF_COLUMNS,
    MISSING_REQUIRED_COLUMN,
    REQUIRED_ONE_OF,
    ImportKind,
    column_by_key,
    header_key,
    header_keys,
    map_headers,
)

FANPIN_HEADERS = [
    "序号", "县（市、区）", "乡（镇、街道）", "行政村", "户编号", "人口编号", "证件号码", "证件类型", "姓名", "性别",
    "出生日期", "民族", "与户主关系", "文化程度", "在校生状况", "健康状况", "劳动技能", "政治面貌", "户类型",
    "监测对象类别", "识别监测时间", "风险是否已消除", "风险消除方式", "致贫/返贫风险1", "户联系电话", "成员联系电话",
    "是否享受低保", "残疾类别",
]  # fmt: skip


class TestHeaderKey:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("证件号码", "证件号码"),
            ("*证件号码（必填）", "证件号码"),
            (" 证件 号码 ", "证件号码"),
            ("县（市、区）", "县"),
            ("月薪下限(元)", "月薪下限"),
            ("【必填】姓名", "姓名"),
            ("姓名：", "姓名"),
            ("成员联系电话_2", "成员联系电话2"),
            ("ＩＤ", "id"),
            ("", ""),
        ],
    )
    def test_normalises(self, raw: str, expected: str) -> None:
        assert header_key(raw) == expected


class TestColumnModel:
    @pytest.mark.parametrize("kind", list(ImportKind))
    def test_keys_and_labels_are_unique_within_a_kind(self, kind: ImportKind) -> None:
        columns = COLUMNS[kind]
        assert len({c.key for c in columns}) == len(columns)
        assert len({header_key(c.label) for c in columns}) == len(columns)

    @pytest.mark.parametrize("kind", list(ImportKind))
    def test_no_alias_is_shared_by_two_columns(self, kind: ImportKind) -> None:
        owners: dict[str, str] = {}
        for column in COLUMNS[kind]:
            for key in column.keys:
                assert owners.setdefault(key, column.key) == column.key, key

    def test_personal_columns(self) -> None:
        personal = {c.key for c in COLUMNS[ImportKind.PERSONS] if c.personal}
        assert personal == {"id_number", "phone", "household_phone"}

    def test_required_person_columns(self) -> None:
        required = {c.key for c in COLUMNS[ImportKind.PERSONS] if c.required}
        assert required == {"household_no", "id_number", "name", "relation"}
        assert REQUIRED_ONE_OF[ImportKind.PERSONS] == [("village_name", "village_code")]

    def test_header_keys_cover_labels_and_aliases(self) -> None:
        keys = header_keys(ImportKind.PERSONS)
        assert {"证件号码", "身份证号", "公民身份号码", "县", "乡", "行政村", "工种意向"} <= keys
        assert "务工月收入" not in keys

    def test_column_by_key(self) -> None:
        assert column_by_key(ImportKind.JOBS, "title").label == "岗位名称"
        with pytest.raises(KeyError):
            column_by_key(ImportKind.JOBS, "nope")


class TestMapHeaders:
    def test_fanpin_export_maps_known_columns(self) -> None:
        mapping = map_headers(FANPIN_HEADERS, ImportKind.PERSONS)
        assert mapping.ok
        assert mapping.errors() == []
        assert mapping.by_key["county_name"] == 1
        assert mapping.by_key["id_number"] == 6
        assert mapping.by_key["phone"] == 25
        assert mapping.by_key["household_phone"] == 24
        assert mapping.unknown_headers == ["序号", "风险消除方式", "致贫/返贫风险1", "是否享受低保"]

    def test_aliases_reordered_and_extra_columns(self) -> None:
        headers = [
            "备注",
            "身份证号码",
            "手机号",
            "*姓名（必填）",
            "家庭关系",
            "户号",
            "村代码",
            "工种意向",
            "期望收入",
        ]
        mapping = map_headers(headers, ImportKind.PERSONS)
        assert mapping.by_key == {
            "id_number": 1,
            "phone": 2,
            "name": 3,
            "relation": 4,
            "household_no": 5,
            "village_code": 6,
            "intended_occupations": 7,
            "expected_wage": 8,
        }
        assert mapping.unknown_headers == ["备注"]
        assert mapping.ok

    def test_first_matching_duplicate_wins(self) -> None:
        mapping = map_headers(["姓名", "证件号码", "成员联系电话", "成员联系电话_2", "联系电话"], ImportKind.WORK)
        assert mapping.by_key["name"] == 0
        assert mapping.unknown_headers == ["成员联系电话", "成员联系电话_2", "联系电话"]

    def test_label_beats_alias_of_another_column(self) -> None:
        # "联系电话" is an alias of 成员联系电话 for persons; the label 户联系电话 maps to household_phone.
        mapping = map_headers(["户联系电话", "联系电话"], ImportKind.PERSONS)
        assert mapping.by_key == {"household_phone": 0, "phone": 1}

    def test_missing_required_columns_are_reported_in_chinese(self) -> None:
        mapping = map_headers(["姓名", "性别", "行政村"], ImportKind.PERSONS)
        assert not mapping.ok
        assert [c.key for c in mapping.missing_required] == ["household_no", "id_number", "relation"]
        assert mapping.errors() == [
            MISSING_REQUIRED_COLUMN.format(label="户编号"),
            MISSING_REQUIRED_COLUMN.format(label="证件号码"),
            MISSING_REQUIRED_COLUMN.format(label="与户主关系"),
        ]
        assert mapping.errors()[0] == "缺少必填列“户编号”"

    def test_village_name_or_code_is_required(self) -> None:
        mapping = map_headers(["户编号", "证件号码", "姓名", "与户主关系"], ImportKind.PERSONS)
        assert not mapping.ok
        assert [c.key for c in mapping.missing_required] == ["village_name"]
        assert mapping.errors() == [MISSING_ONE_OF_COLUMNS.format(labels="“行政村”、“村代码”")]
        assert map_headers(["户编号", "证件号码", "姓名", "与户主关系", "村代码"], ImportKind.PERSONS).ok

    def test_empty_headers_are_ignored(self) -> None:
        mapping = map_headers(["", "企业名称", "统一社会信用代码", "所在地区"], ImportKind.ENTERPRISES)
        assert mapping.ok
        assert mapping.unknown_headers == []

    @pytest.mark.parametrize("kind", list(ImportKind))
    def test_our_labels_map_every_column(self, kind: ImportKind) -> None:
        labels = [c.label for c in COLUMNS[kind]]
        mapping = map_headers(list(reversed(labels)), kind)
        assert mapping.ok
        assert set(mapping.by_key) == {c.key for c in COLUMNS[kind]}
        assert mapping.unknown_headers == []
