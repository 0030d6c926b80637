from laborcoop.registry.validation import household as v
from laborcoop.registry.validation.household import MemberFacts

M, F = "1", "2"


def member(label: str, relation: str, sex: str, id_hash: str = "") -> MemberFacts:
    return MemberFacts(label=label, relation=relation, sex=sex, id_hash=id_hash or f"hash-{label}")


def family() -> list[MemberFacts]:
    return [
        member("张大山", "户主", M),
        member("李秀英", "配偶", F),
        member("张小明", "之子", M),
        member("张小红", "之女", F),
        member("王桂花", "之母", F),
    ]


def test_ordinary_family_is_clean() -> None:
    issues = v.check_household_members(family())
    assert issues.errors == {}
    assert issues.warnings == {}


def test_head_alone_is_clean() -> None:
    assert not v.check_household_members([member("张大山", "户主", F)]).has_errors


def test_index_is_optional_and_kept() -> None:
    facts = MemberFacts(index=3, label="第 3 行", relation="户主", sex=M)
    assert facts.index == 3
    assert not v.check_household_members([facts]).has_errors


def test_no_head_is_an_error() -> None:
    members = [m for m in family() if m.relation != "户主"]
    assert v.check_household_members(members).errors == {"relation": [v.NO_HEAD]}


def test_empty_household_has_no_head() -> None:
    assert v.check_household_members([]).errors == {"relation": [v.NO_HEAD]}


def test_two_heads_are_an_error() -> None:
    members = [*family(), member("张二山", "户主", M)]
    issues = v.check_household_members(members)
    assert issues.errors == {"relation": [v.MANY_HEADS.format(count=2, labels="张大山、张二山")]}


def test_two_spouses_are_an_error() -> None:
    members = [*family(), member("赵小芳", "配偶", F)]
    issues = v.check_household_members(members)
    assert issues.errors == {"relation": [v.MANY_SPOUSES.format(count=2, labels="李秀英、赵小芳")]}


def test_head_and_spouse_of_the_same_sex_is_an_error() -> None:
    members = [member("张大山", "户主", M), member("李秀才", "配偶", M)]
    issues = v.check_household_members(members)
    assert issues.errors == {"relation": [v.SAME_SEX_SPOUSE.format(head="张大山", spouse="李秀才")]}
    assert "张大山" in issues.errors["relation"][0]


def test_female_head_with_male_spouse_is_fine() -> None:
    members = [member("李秀英", "户主", F), member("张大山", "配偶", M)]
    assert not v.check_household_members(members).has_errors


def test_duplicate_id_is_an_error() -> None:
    members = [*family(), member("张小明（重复录入）", "之子", M, id_hash="hash-张小明")]
    issues = v.check_household_members(members)
    assert issues.errors == {"id_number": [v.DUPLICATE_ID.format(labels="张小明、张小明（重复录入）")]}


def test_unknown_ids_are_not_compared() -> None:
    members = [
        MemberFacts(label="甲", relation="户主", sex=M),
        MemberFacts(label="乙", relation="之子", sex=M),
    ]
    assert not v.check_household_members(members).has_errors


def test_relation_outside_the_code_list_is_an_error() -> None:
    members = [*family(), member("张三", "儿子", M)]
    issues = v.check_household_members(members)
    assert issues.errors == {"relation": [v.BAD_RELATION.format(label="张三", value="儿子")]}


def test_relation_implying_the_other_sex_is_a_warning() -> None:
    members = [*family(), member("张小华", "之子", F)]
    issues = v.check_household_members(members)
    assert not issues.has_errors
    assert issues.warnings == {"relation": [v.RELATION_SEX_MISMATCH.format(label="张小华", relation="之子", sex="女")]}


def test_sex_neutral_relations_have_no_sex_warning() -> None:
    members = [
        *family(),
        member("张小兰", "之兄弟姐妹", F),
        member("张小强", "之兄弟姐妹", M),
        member("某某", "其他", F),
    ]
    assert v.check_household_members(members).warnings == {}


def test_several_problems_are_all_reported() -> None:
    members = [
        member("甲", "之子", M, id_hash="same"),
        member("乙", "配偶", F, id_hash="same"),
        member("丙", "配偶", F),
    ]
    issues = v.check_household_members(members)
    assert issues.errors == {
        "relation": [v.NO_HEAD, v.MANY_SPOUSES.format(count=2, labels="乙、丙")],
        "id_number": [v.DUPLICATE_ID.format(labels="甲、乙")],
    }
