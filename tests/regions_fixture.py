"""A small real slice of the region tree (NBS 2023 codes) for tests that do not need the whole country."""

from laborcoop.regions.models import Region, level_of_code, prefix_of_code

SAMPLE_REGIONS: list[tuple[str, str]] = [
    ("430000000000", "湖南省"),
    ("433100000000", "湘西土家族苗族自治州"),
    ("433101000000", "吉首市"),
    ("433101005000", "镇溪街道"),
    ("433101005001", "科技园社区"),
    ("433122000000", "泸溪县"),
    ("433122107000", "武溪镇"),
    ("433122107201", "黑塘村"),
    ("433122107202", "天门溪村"),
    ("433122108000", "浦市镇"),
    ("433122108201", "黄家桥村"),
    ("433122108202", "浦溪村"),
    ("433123000000", "凤凰县"),
    ("433123109000", "沱江镇"),
    ("433123109201", "棉寨村"),
    ("430500000000", "邵阳市"),
    ("430523000000", "邵阳县"),
    ("430523100000", "塘渡口镇"),
    ("430523100203", "梅子院村"),
    ("430100000000", "长沙市"),
    ("430102000000", "芙蓉区"),
    ("370000000000", "山东省"),
    ("370100000000", "济南市"),
    ("370102000000", "历下区"),
    ("440000000000", "广东省"),
    ("440300000000", "深圳市"),
    ("440306000000", "宝安区"),
]


def load_sample_regions() -> dict[str, Region]:
    rows = []
    for code, name in SAMPLE_REGIONS:
        level = level_of_code(code)
        parent = None
        for cut in (9, 6, 4, 2):
            candidate = code[:cut].ljust(12, "0")
            if candidate != code and level_of_code(code) > 1 and any(c == candidate for c, _ in SAMPLE_REGIONS):
                parent = candidate
                break
        rows.append(Region(code=code, name=name, level=level, prefix=prefix_of_code(code), parent_id=parent))
    Region.objects.bulk_create(rows)
    return {r.code: r for r in Region.objects.all()}
