"""Load the bundled region tree (data/regions/). Safe to run again: only adds what is missing."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from laborcoop.regions.models import RegionLevel
from laborcoop.regions.selectors import region_abolished_count, region_level_counts
from laborcoop.regions.services import region_tree_load


class Command(BaseCommand):
    help = "载入行政区划数据（全国省、市、县、乡镇街道，湖南省村社区）；重复运行只补充缺少的区划。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--path", type=Path, help="区划数据文件（默认 data/regions/regions.csv.gz）")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        created = region_tree_load(path=options["path"])
        counts = region_level_counts()
        levels = "，".join(f"{level.label} {counts.get(level.value, 0)}" for level in RegionLevel)
        self.stdout.write(
            f"新增区划 {created} 个，用时 {time.monotonic() - started:.1f} 秒。"
            f"现有区划 {sum(counts.values())} 个（{levels}；其中已停用 {region_abolished_count()} 个）。"
        )
