"""A small occupation taxonomy (工种) with synonyms, and character-bigram similarity for free text.

Occupation ids are small ints. The canonical occupations come first (ids 0..N-1, N < 63 so that a laborer's
skills fit in one int64 bitmask); free-text terms that match no synonym are interned as new ids after them and
are compared with everything else by character-bigram Dice similarity. `similarity_matrix()` holds the pairwise
similarity of all ids, with one extra zero row/column at index -1 so that "no occupation" (-1) gathers 0.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np

NO_OCCUPATION = -1

# Similarity of two distinct canonical occupations of the same family.
SAME_GROUP_SIMILARITY = 0.6
# A free-text term is tied to a canonical occupation (for skill bits) when its bigram Dice reaches this.
NEAREST_CANONICAL_THRESHOLD = 0.5


@dataclass(frozen=True)
class Occupation:
    name: str  # shown on screen
    group: str  # family; occupations of one family are partly substitutable
    synonyms: tuple[str, ...] = ()
    generic: bool = False  # open to anyone without a stated intent (普工, 装卸, 保洁 ...)


CANONICAL: tuple[Occupation, ...] = (
    Occupation(
        "普工", "制造", ("操作工", "流水线工", "流水线操作工", "生产工", "包装工", "质检员", "组装工"), generic=True
    ),
    Occupation("焊工", "制造", ("电焊工", "电焊", "焊接工", "氩弧焊工", "二保焊工", "气焊工")),
    Occupation("缝纫工", "制造", ("车工", "车位工", "缝纫", "制衣工", "平车工", "服装工")),
    Occupation("机修工", "制造", ("钳工", "设备维修工", "机械维修工", "汽修工", "汽车修理工")),
    Occupation("电工", "制造", ("维修电工", "电气工", "水电工", "低压电工")),
    Occupation("叉车司机", "物流", ("叉车工", "叉车")),
    Occupation("快递员", "物流", ("分拣员", "快递分拣员", "派送员", "配送员", "外卖员", "骑手")),
    Occupation("装卸工", "物流", ("搬运工", "装卸搬运工", "理货员", "仓管员", "仓库管理员"), generic=True),
    Occupation("司机", "物流", ("驾驶员", "货车司机", "客车司机", "网约车司机", "专职司机")),
    Occupation("建筑工", "建筑", ("建筑工人", "小工", "杂工", "普工（建筑）"), generic=True),
    Occupation("泥瓦工", "建筑", ("瓦工", "砌筑工", "抹灰工", "泥水工")),
    Occupation("钢筋工", "建筑", ("扎筋工",)),
    Occupation("木工", "建筑", ("模板工", "木模工", "装修木工")),
    Occupation("油漆工", "建筑", ("涂装工", "喷漆工", "腻子工")),
    Occupation("挖掘机司机", "建筑", ("挖掘机操作工", "挖机司机", "铲车司机", "装载机司机")),
    Occupation("保安", "安保保洁", ("保安员", "门卫", "安保员", "巡逻员"), generic=True),
    Occupation("保洁", "安保保洁", ("保洁员", "清洁工", "环卫工", "清洁员"), generic=True),
    Occupation("厨师", "餐饮", ("中式烹调师", "炒菜师傅", "面点师", "厨工", "厨师长")),
    Occupation("帮厨", "餐饮", ("切配工", "洗碗工", "后厨杂工", "打荷")),
    Occupation("服务员", "餐饮", ("餐厅服务员", "传菜员", "客房服务员", "前台", "收银员")),
    Occupation("家政服务员", "家政护理", ("家政", "家政员", "保姆", "钟点工")),
    Occupation("育婴员", "家政护理", ("月嫂", "母婴护理员", "育儿嫂")),
    Occupation("养老护理员", "家政护理", ("护工", "护理员", "陪护", "医院护工")),
    Occupation("销售", "商贸", ("营业员", "销售员", "导购", "促销员", "电话销售", "业务员")),
    Occupation("电商客服", "商贸", ("客服", "网店客服", "主播", "带货主播", "电子商务")),
    Occupation("美容美发", "生活服务", ("理发师", "美发师", "美容师", "美甲师")),
    Occupation("种植", "农业", ("农业", "种植工", "果农", "茶农", "采茶工", "农技员")),
    Occupation("养殖", "农业", ("养殖工", "饲养员", "畜牧工", "水产养殖")),
    Occupation("林业", "农业", ("护林员", "林业工人", "育苗工")),
    Occupation("公益性岗位", "公益", ("公益岗", "乡村公益岗", "护路员", "护河员"), generic=True),
)

assert len(CANONICAL) < 63  # skill bitmasks are int64

_SPACES = re.compile(r"\s+")
SPLIT_TERMS = re.compile(r"[,，、;；/|\s]+")


def normalize_term(text: str) -> str:
    """Full-width to half-width (NFKC), spaces removed, trailing brackets kept; empty for blank."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text or "")).strip()


def bigrams(text: str) -> frozenset[str]:
    """Character bigrams; a one-character term is its own single gram."""
    if len(text) < 2:
        return frozenset({text}) if text else frozenset()
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def bigram_similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams (2|A∩B| / (|A|+|B|)), in [0, 1]."""
    ga, gb = bigrams(normalize_term(a)), bigrams(normalize_term(b))
    if not ga or not gb:
        return 0.0
    return 2.0 * len(ga & gb) / (len(ga) + len(gb))


class Taxonomy:
    """Maps free text to occupation ids; grows when new free-text terms are seen (the warm index shares one)."""

    def __init__(self, occupations: tuple[Occupation, ...] = CANONICAL) -> None:
        self.canonical = occupations
        self.n_canonical = len(occupations)
        self.names: list[str] = [o.name for o in occupations]
        self.groups: list[str] = [o.group for o in occupations]
        self._lookup: dict[str, int] = {}
        for i, occ in enumerate(occupations):
            for term in (occ.name, *occ.synonyms):
                self._lookup[normalize_term(term)] = i
        # Longest synonyms first so that "氩弧焊工（持证）" resolves through 氩弧焊工 rather than 焊工.
        self._contained = sorted(self._lookup.items(), key=lambda kv: -len(kv[0]))
        self.generic_ids = np.array([i for i, o in enumerate(occupations) if o.generic], dtype=np.int16)
        self._matrix: np.ndarray | None = None
        self._nearest: list[int] = list(range(self.n_canonical))

    def __len__(self) -> int:
        return len(self.names)

    def resolve(self, text: str, *, intern: bool = True) -> int:
        """Occupation id of a free-text term: exact synonym, then the longest synonym it contains, then a
        new interned id (or NO_OCCUPATION when `intern` is false). Blank text is NO_OCCUPATION."""
        term = normalize_term(text)
        if not term:
            return NO_OCCUPATION
        found = self._lookup.get(term)
        if found is not None:
            return found
        for syn, occ_id in self._contained:
            if len(syn) >= 2 and syn in term:
                self._lookup[term] = occ_id
                return occ_id
        if not intern:
            return NO_OCCUPATION
        new_id = len(self.names)
        self.names.append(term)
        self.groups.append("")
        self._lookup[term] = new_id
        self._nearest.append(self._nearest_canonical(term))
        self._matrix = None
        return new_id

    def resolve_many(self, texts: list[str] | str) -> list[int]:
        """Ids of a list of terms or of one comma/顿号-separated string, without duplicates, in order."""
        items = SPLIT_TERMS.split(texts) if isinstance(texts, str) else texts
        out: list[int] = []
        for t in items:
            occ = self.resolve(t)
            if occ != NO_OCCUPATION and occ not in out:
                out.append(occ)
        return out

    def canonical_of(self, occ_id: int) -> int:
        """The canonical occupation an id stands for (itself, or the nearest for a free-text term), or -1."""
        if occ_id < 0:
            return NO_OCCUPATION
        return self._nearest[occ_id]

    def skill_bits(self, occ_ids: list[int]) -> int:
        bits = 0
        for occ in occ_ids:
            canon = self.canonical_of(occ)
            if canon >= 0:
                bits |= 1 << canon
        return bits

    def name(self, occ_id: int) -> str:
        return self.names[occ_id] if occ_id >= 0 else ""

    def _nearest_canonical(self, term: str) -> int:
        best, best_sim = NO_OCCUPATION, NEAREST_CANONICAL_THRESHOLD
        for i, occ in enumerate(self.canonical):
            sim = max(bigram_similarity(term, t) for t in (occ.name, *occ.synonyms))
            if sim >= best_sim:
                best, best_sim = i, sim
        return best

    def _text_similarity(self, a: int, b: int) -> float:
        def terms(i: int) -> tuple[str, ...]:
            if i < self.n_canonical:
                occ = self.canonical[i]
                return (occ.name, *occ.synonyms)
            return (self.names[i],)

        return max(bigram_similarity(x, y) for x in terms(a) for y in terms(b))

    def similarity(self, a: int, b: int) -> float:
        return float(self.similarity_matrix()[a, b])

    def similarity_matrix(self) -> np.ndarray:
        """float64 (T+1, T+1): 1 on the diagonal, SAME_GROUP_SIMILARITY within a family, bigram Dice for
        free-text terms, 0 otherwise; the last row/column (index -1) is all zeros."""
        if self._matrix is not None and self._matrix.shape[0] == len(self.names) + 1:
            return self._matrix
        t = len(self.names)
        m = np.zeros((t + 1, t + 1), dtype=np.float64)
        for a in range(t):
            for b in range(a, t):
                if a == b:
                    s = 1.0
                elif a < self.n_canonical and b < self.n_canonical:
                    s = SAME_GROUP_SIMILARITY if self.groups[a] == self.groups[b] else 0.0
                else:
                    s = self._text_similarity(a, b)
                m[a, b] = m[b, a] = s
        self._matrix = m
        return m
