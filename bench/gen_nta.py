"""Generate SYNTHETIC files in the 国税庁 法人番号 bulk CSV format (30 columns, no header).

Every row is invented and says so: names are 「合成データ株式会社 00042」, furigana 「ゴウセイデータ」,
streets 「合成町…」. Corporate numbers have valid check digits but are random, so some may
coincide with real corporations' numbers: never load this data into a production registry.

    python bench/gen_nta.py --rows 100000 --encoding cp932 --out /tmp/nta.csv

Importable from tests and benchmarks (bench/ is not a package):

    spec = importlib.util.spec_from_file_location("gen_nta", ROOT / "bench" / "gen_nta.py")
    gen_nta = importlib.util.module_from_spec(spec); spec.loader.exec_module(gen_nta)
    data = gen_nta.generate(1000, seed=1, encoding="utf-8", city="08220")
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from sangyo.core.codes import corporate_number_check_digit, validate_lg_code  # noqa: E402

PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
    "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
    "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
    "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
    "鹿児島県", "沖縄県",
)  # fmt: skip

CITY_NAMES = {
    "08201": "水戸市",
    "08202": "日立市",
    "08203": "土浦市",
    "08217": "取手市",
    "08220": "つくば市",
    "08224": "守谷市",
    "08235": "つくばみらい市",
    "13101": "千代田区",
    "13103": "港区",
    "27128": "大阪市中央区",
}
OTHER_CITIES = ("08201", "08202", "08203", "08217", "08224", "08235", "13101", "13103", "27128")

# (kind code, suffix in the name, English suffix, weight)
KINDS = (
    ("301", "株式会社", "Co., Ltd.", 70),
    ("305", "合同会社", "LLC", 15),
    ("302", "有限会社", "Yugen Kaisha", 8),
    ("399", "一般社団法人", "General Incorporated Association", 7),
)
# (process, weight); 21 rows are closed (closeDate and closeCause filled).
PROCESSES = (("01", 80), ("11", 8), ("12", 7), ("21", 5))
CLOSE_CAUSES = ("01", "11", "31")

COLUMN_COUNT = 30


def _city(code: str) -> tuple[str, str, str, str]:
    """(prefectureCode, cityCode, prefectureName, cityName) for a 5- or 6-digit 団体コード."""
    code5 = validate_lg_code(code)[:5]
    city_name = CITY_NAMES.get(code5, f"合成市区町村{code5}")
    return code5[:2], code5[2:], PREFECTURES[int(code5[:2]) - 1], city_name


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _weighted(rng: random.Random, table: tuple, weight_index: int) -> tuple:
    return rng.choices(table, weights=[t[weight_index] for t in table])[0]


def generate(
    rows: int,
    seed: int = 42,
    encoding: str = "cp932",
    city: str = "08220",
    *,
    other_city_share: float = 0.2,
    columns: int = COLUMN_COUNT,
) -> bytes:
    """`rows` synthetic records as file bytes (CRLF lines), deterministic for a given seed.

    About 1 − other_city_share of the rows are in `city`, the rest spread over a few other
    municipalities. `columns=29` writes the older layout without `hihyoji`.
    """
    if columns not in (29, 30):
        raise ValueError("columns must be 29 or 30")
    rng = random.Random(seed)
    home = _city(city)
    others = [_city(c) for c in OTHER_CITIES if c != home[0] + home[1]]
    used: set[str] = set()
    base_day = date(2024, 4, 1)
    lines = []
    for i in range(1, rows + 1):
        while True:
            base = f"{rng.randrange(10**12):012d}"
            if base not in used:
                used.add(base)
                break
        number = f"{corporate_number_check_digit(base)}{base}"
        process = _weighted(rng, PROCESSES, 1)[0]
        kind, suffix, en_suffix, _ = _weighted(rng, KINDS, 3)
        pref_code, city_code, pref_name, city_name = (
            home if rng.random() >= other_city_share else rng.choice(others)
        )
        assignment = date(2015, 10, 5) + timedelta(days=rng.randrange(3000))
        update = base_day + timedelta(days=rng.randrange(365))
        change = (
            assignment
            if process == "01"
            else max(assignment, update - timedelta(days=rng.randrange(30)))
        )
        close_date = close_cause = ""
        if process == "21":
            close_date = change.isoformat()
            close_cause = rng.choice(CLOSE_CAUSES)
        serial = f"{i:05d}"
        street = f"合成町{rng.randrange(1, 10)}丁目{rng.randrange(1, 40)}番地{rng.randrange(1, 20)}"
        fields = [
            str(i),
            number,
            process,
            "0",
            update.isoformat(),
            change.isoformat(),
            _q(f"合成データ{suffix} {serial}"),
            "",
            kind,
            _q(pref_name),
            _q(city_name),
            _q(street),
            "",
            pref_code,
            city_code,
            f"{rng.randrange(10**7):07d}",
            "",
            "",
            close_date,
            close_cause,
            "",
            "",
            assignment.isoformat(),
            "1",
            _q(f"Gosei Data {en_suffix} {serial}"),
            _q("Synthetic"),
            _q("Synthetic City"),
            "",
            _q("ゴウセイデータ"),
        ]
        if columns == 30:
            fields.append("0")
        lines.append(",".join(fields))
    lines.append("")
    return "\r\n".join(lines).encode(encoding)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--encoding", choices=("cp932", "utf-8"), default="cp932")
    parser.add_argument("--city", default="08220", help="団体コード, 5 or 6 digits (08220)")
    parser.add_argument("--other-city-share", type=float, default=0.2)
    parser.add_argument("--columns", type=int, choices=(29, 30), default=30)
    parser.add_argument("--out", required=True, help="output file, or - for stdout")
    args = parser.parse_args(argv)
    data = generate(
        args.rows,
        args.seed,
        args.encoding,
        args.city,
        other_city_share=args.other_city_share,
        columns=args.columns,
    )
    if args.out == "-":
        sys.stdout.buffer.write(data)
    else:
        Path(args.out).write_bytes(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
