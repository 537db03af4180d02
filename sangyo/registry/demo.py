"""Synthetic demo data for the registry: districts, partner organisations, businesses,
contacts and support records. Every business and person is invented and marked
`is_synthetic`; names carry 「合成」 so nobody mistakes them for real firms."""

from __future__ import annotations

import datetime
import random
from pathlib import Path

import yaml
from django.db import transaction

from sangyo.strategy.models import Program

from . import services
from .models import Business, District, PartnerOrganisation, SupportRecord

DATA = Path(__file__).parent / "data"

# (name stem, kana stem, JSIC code, capital range in 万円, employee range)
PROFILES = [
    ("精密工業", "セイミツコウギョウ", "2694", (1000, 30000), (8, 120)),
    ("バイオ研究所", "バイオケンキュウジョ", "7121", (500, 50000), (3, 60)),
    ("ソフトウェア", "ソフトウェア", "3911", (300, 8000), (2, 80)),
    ("食品", "ショクヒン", "0999", (300, 5000), (4, 40)),
    ("建設", "ケンセツ", "0611", (1000, 10000), (5, 70)),
    ("商店", "ショウテン", "5891", (100, 1000), (1, 8)),
    ("カフェ", "カフェ", "7671", (100, 500), (1, 12)),
    ("物流", "ブツリュウ", "4411", (1000, 20000), (10, 150)),
    ("デザイン事務所", "デザインジムショ", "7261", (100, 1000), (1, 6)),
    ("ロボティクス", "ロボティクス", "2999", (1000, 60000), (5, 90)),
    ("不動産", "フドウサン", "6821", (300, 3000), (1, 10)),
    ("人材サービス", "ジンザイサービス", "9121", (500, 5000), (3, 40)),
]
PLACES = [
    ("研究学園", "082201"),
    ("吾妻", "082201"),
    ("竹園", "082201"),
    ("天久保", "082201"),
    ("北条", "082201"),
    ("大曽根", "082201"),
    ("上郷", "082201"),
    ("谷田部", "082201"),
    ("高見原", "082201"),
    ("みどりの", "082201"),
]
OUTSIDE = [("土浦市大和町", "082031"), ("つくばみらい市紫峰ヶ丘", "082350")]

# Which programs deliver support of which kind, for plausible synthetic records.
SUPPORT_PLAN = [
    ("01-1", "consultation", "デジタルマーケティング相談"),
    ("01-2", "consultation", "経営相談（中小企業診断士）"),
    ("02-1", "information", "融資制度の案内"),
    ("03-1", "event", "DX導入セミナーに参加"),
    ("04-1", "referral", "事業承継・引継ぎ支援センターへ引継ぎ"),
    ("05-1", "subsidy", "展示会出展支援補助金の交付"),
    ("06-1", "application", "つくばクオリティへの申請"),
    ("07-1", "consultation", "受発注相談"),
    ("09-2", "event", "産学官連携交流会に参加"),
    ("10-1", "certificate", "特定創業支援等事業の証明書を交付"),
    ("11-1", "subsidy", "新規創業促進補助金の交付"),
    ("12-2", "matching", "事業用物件の提案"),
    ("14-1", "event", "企業見学ツアーに参加"),
    ("16-1", "subsidy", "資格取得支援"),
    ("17-1", "subsidy", "男性育児休業取得支援"),
]


def load_districts(municipality_code: str) -> int:
    path = DATA / "districts" / f"{municipality_code}.yaml"
    if not path.exists():
        return 0
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for order, d in enumerate(doc["districts"]):
        District.objects.update_or_create(
            municipality_code=doc["municipality_code"],
            code=d["code"],
            defaults={
                "name_ja": d["name_ja"],
                "name_en": d.get("name_en", ""),
                "address_prefixes": d.get("address_prefixes", []),
                "order": order,
            },
        )
    return len(doc["districts"])


def load_partners() -> int:
    rows = yaml.safe_load((DATA / "partners-tsukuba.yaml").read_text(encoding="utf-8"))
    for row in rows:
        PartnerOrganisation.objects.update_or_create(
            name=row["name"], defaults={"kind": row["kind"], "role": row.get("role", "")}
        )
    return len(rows)


@transaction.atomic
def load_demo(*, strategy, count: int = 240, seed: int = 2025) -> dict[str, int]:
    """Create the synthetic registry once; running it again changes nothing."""
    districts = load_districts(strategy.municipality_code)
    partners = load_partners()
    if Business.objects.filter(is_synthetic=True).exists():
        records = SupportRecord.objects.filter(is_synthetic=True).count()
        return {"districts": districts, "partners": partners, "businesses": 0, "records": records}
    rng = random.Random(seed)
    programs = {p.code: p for p in Program.objects.filter(measure__strategy=strategy)}
    succession = PartnerOrganisation.objects.filter(kind="succession").first()
    businesses = []
    for n in range(1, count + 1):
        stem, kana, jsic, capital, employees = rng.choice(PROFILES)
        kind = rng.choices(["301", "305", "sole", "pre_founding"], weights=[60, 15, 18, 7])[0]
        place, code = rng.choice(OUTSIDE) if rng.random() < 0.08 else rng.choice(PLACES)
        location = (
            f"茨城県{place}{rng.randint(1, 5)}丁目{rng.randint(1, 30)}番地{rng.randint(1, 20)}"
            if code != "082201"
            else f"茨城県つくば市{place}{rng.randint(1, 3000)}番地"
        )
        suffix = {"301": "株式会社", "305": "合同会社", "sole": "", "pre_founding": ""}[kind]
        name = f"合成{stem}{n:03d}{suffix}" if suffix else f"合成{stem}{n:03d}（個人）"
        established = None
        if kind != "pre_founding":
            established = datetime.date(
                rng.randint(1975, 2025), rng.randint(1, 12), rng.randint(1, 28)
            )
        business = services.business_create(
            actor="demo",
            name=name,
            kana=f"ゴウセイ{kana}{n:03d}",
            corporate_type=kind,
            location=location,
            city_code=code,
            jsic_code=jsic,
            capital_stock=rng.randint(*capital) * 10_000 if kind in ("301", "305") else None,
            employee_number=rng.randint(*employees) if kind != "pre_founding" else 0,
            date_of_establishment=established,
            fiscal_year_end_month=3 if kind in ("301", "305") else 12,
            representative_name=f"合成 代表{n:03d}",
            is_synthetic=True,
            tags=["スタートアップ"]
            if established and established.year >= 2021 and rng.random() < 0.5
            else [],
        )
        if rng.random() < 0.6:
            services.contact_create(
                business=business,
                actor="demo",
                name=f"合成 担当{n:03d}",
                role="総務担当",
                email=f"contact{n:03d}@example.jp",
                consent_at=datetime.date(2025, 4, 1),
                consent_scope="市からの支援情報の案内",
            )
        businesses.append(business)

    records = 0
    for fy in (2024, 2025, 2026):
        start = datetime.date(fy, 4, 1)
        # FY2026 is in progress (demo date 2026-11): fewer records so far.
        per_year = 90 if fy < 2026 else 55
        for _ in range(per_year):
            code, kind, summary = rng.choice(SUPPORT_PLAN)
            business = rng.choice(businesses)
            if code.startswith(("10-", "11-")) and business.corporate_type not in (
                "pre_founding",
                "sole",
                "305",
            ):
                business = next(
                    (b for b in businesses if b.corporate_type == "pre_founding"), business
                )
            day = start + datetime.timedelta(days=rng.randint(0, 240 if fy == 2026 else 364))
            services.support_record_create(
                business=business,
                program=programs[code],
                date=day,
                kind=kind,
                actor="demo",
                summary=summary,
                outcome=rng.choice(["", "継続支援", "完了", "申請予定"]),
                partner=succession if kind == "referral" else None,
                source=f"demo:{fy}:{records}",
                is_synthetic=True,
            )
            records += 1
    return {
        "districts": districts,
        "partners": partners,
        "businesses": len(businesses),
        "records": SupportRecord.objects.filter(is_synthetic=True).count(),
    }
