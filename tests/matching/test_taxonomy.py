import numpy as np
import pytest

from laborcoop.matching.engine.taxonomy import NO_OCCUPATION, Taxonomy, bigram_similarity


@pytest.mark.parametrize(
    ("synonym", "canonical"),
    [
        ("操作工", "普工"),
        ("流水线工", "普工"),
        ("电焊工", "焊工"),
        ("电工", "电工"),
        ("保安员", "保安"),
        ("保洁员", "保洁"),
        ("厨工", "厨师"),
        ("保姆", "家政服务员"),
        ("月嫂", "育婴员"),
        ("护工", "养老护理员"),
        ("分拣员", "快递员"),
        ("驾驶员", "司机"),
        ("钢筋工", "钢筋工"),
        ("泥瓦工", "泥瓦工"),
        ("营业员", "销售"),
        ("车工", "缝纫工"),
        ("养殖工", "养殖"),
        ("搬运工", "装卸工"),
        ("服务员", "服务员"),
    ],
)
def test_synonym_resolves_to_its_canonical_occupation(synonym: str, canonical: str) -> None:
    tax = Taxonomy()

    assert tax.name(tax.resolve(synonym)) == canonical
    assert tax.resolve(synonym) < tax.n_canonical


def test_normalisation_and_containment() -> None:
    tax = Taxonomy()

    assert tax.resolve(" 电 焊 工 ") == tax.resolve("焊工")
    assert tax.resolve("氩弧焊工（持证）") == tax.resolve("焊工")  # full-width brackets, longest synonym inside
    assert tax.resolve("") == NO_OCCUPATION


def test_free_text_is_interned_and_compared_by_bigrams() -> None:
    tax = Taxonomy()
    n = len(tax)

    odd = tax.resolve("电焊学徒")  # contains 电焊 -> 焊工
    new = tax.resolve("无人机飞手")

    assert tax.name(odd) == "焊工"
    assert new == n
    assert tax.resolve("无人机飞手") == new  # stable
    assert tax.resolve("无人机飞手（持证）") != new  # another new term
    sim = tax.similarity_matrix()
    assert sim[new, new] == 1.0
    assert sim[new, tax.resolve("无人机飞手（持证）")] > 0.5
    assert sim[new, tax.resolve("普工")] == 0.0


def test_similarity_matrix_shape_and_groups() -> None:
    tax = Taxonomy()
    sim = tax.similarity_matrix()

    assert sim.shape == (len(tax) + 1, len(tax) + 1)
    assert np.array_equal(sim, sim.T)
    assert not sim[-1].any()  # -1 = no occupation gathers 0
    assert sim[tax.resolve("焊工"), tax.resolve("普工")] == pytest.approx(0.6)  # same family 制造
    assert sim[tax.resolve("焊工"), tax.resolve("厨师")] == 0.0


def test_bigram_similarity() -> None:
    assert bigram_similarity("电焊工", "电焊工") == 1.0
    assert bigram_similarity("电焊工", "焊工") == pytest.approx(2 * 1 / (2 + 1))
    assert bigram_similarity("保安", "厨师") == 0.0
    assert bigram_similarity("", "厨师") == 0.0


def test_skill_bits_use_canonical_occupations() -> None:
    tax = Taxonomy()

    bits = tax.skill_bits(tax.resolve_many("电焊、叉车，驾驶员"))

    for name in ("焊工", "叉车司机", "司机"):
        assert bits >> tax.resolve(name) & 1
    assert not bits >> tax.resolve("普工") & 1
