"""Synthetic matching demo: needs and seeds (published through moderation), an interest
with an introduction and a reported deal, business properties with an enquiry and a
proposal, jobs and internships with applications and one placement. Everything is labelled
合成データ; running it again changes nothing."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from . import services
from .models import JobApplication, Posting

POSTINGS = [
    (
        "order",
        "manufacturing",
        "合成データ 精密部品の切削加工を発注したい",
        "Synthetic: We want to outsource precision machining",
        "研究用装置のアルミ部品（月50個程度）の切削加工をお願いできる市内の加工業者を探しています。",
        "切削加工、アルミ、試作",
        "2899",
        "city",
    ),
    (
        "take_order",
        "manufacturing",
        "合成データ アルミ・ステンレスの切削加工を受注できます",
        "Synthetic: Machining of aluminium and stainless parts",
        "5軸マシニングセンタで試作から小ロットまで切削加工に対応します。研究機関向けの実績多数。",
        "切削加工、アルミ、ステンレス、試作",
        "2899",
        "city",
    ),
    (
        "research",
        "research",
        "合成データ 農業用センサーの共同研究先を探しています",
        "Synthetic: Looking for a research partner on farm sensors",
        "圃場の土壌水分を測るIoTセンサーの共同研究先（大学・研究機関・企業）を探しています。",
        "IoT、センサー、農業",
        "",
        "prefecture",
    ),
    (
        "offer",
        "it",
        "合成データ IoTセンサーとデータ分析の技術を提供できます",
        "Synthetic: IoT sensor and data analysis technology",
        "低消費電力のIoTセンサー基板とクラウドでのデータ分析を提供できます。農業分野の実証経験あり。",
        "IoT、センサー、データ分析",
        "3912",
        "nationwide",
    ),
    (
        "tech_consult",
        "food",
        "合成データ 食品の賞味期限延長について技術相談したい",
        "Synthetic: Technical advice on extending shelf life",
        "つくば産の農産物を使った加工食品の賞味期限を延ばす方法について相談先を探しています。",
        "食品加工、賞味期限、包装",
        "",
        "city",
    ),
    (
        "offer",
        "research",
        "合成データ 食品の成分分析・保存試験を提供できます",
        "Synthetic: Food analysis and storage tests",
        "食品の成分分析と保存試験（賞味期限の設定）を受託しています。",
        "食品加工、賞味期限、分析",
        "",
        "prefecture",
    ),
    (
        "order",
        "design",
        "合成データ 新商品のパッケージデザインを発注したい",
        "Synthetic: Package design for a new product",
        "市内で開発した新商品のパッケージデザインをお願いできる事業者を探しています。",
        "デザイン、包装",
        "",
        "city",
    ),
    (
        "take_order",
        "design",
        "合成データ パッケージ・ロゴのデザインを受注できます",
        "Synthetic: Package and logo design",
        "食品・雑貨のパッケージやロゴのデザインを受注できます。",
        "デザイン、包装、ロゴ",
        "",
        "kanto",
    ),
]

PROPERTIES = [
    (
        "合成データ 研究学園駅前の小規模オフィス",
        "Synthetic: Small office near Kenkyu-gakuen",
        "office",
        False,
        "32.50",
        98000,
        "茨城県つくば市研究学園五丁目（合成データ）",
    ),
    (
        "合成データ 北条商店街のチャレンジショップ",
        "Synthetic: Challenge shop in Hojo",
        "shop",
        True,
        "25.00",
        15000,
        "茨城県つくば市北条（合成データ）",
    ),
    (
        "合成データ 貸しラボ（ウェット対応）",
        "Synthetic: Wet lab for rent",
        "lab",
        False,
        "60.00",
        240000,
        "茨城県つくば市千現（合成データ）",
    ),
]

JOBS = [
    (
        "job",
        "full_time",
        "general",
        "合成データ 機械加工オペレーター",
        "Synthetic: CNC machine operator",
        "month",
        220000,
        300000,
        "8:30〜17:30（休憩60分）",
        3,
        50,
        "日本語",
        False,
        False,
    ),
    (
        "internship",
        "internship",
        "general",
        "合成データ 夏季インターンシップ（データ分析）",
        "Synthetic: Summer internship (data analysis)",
        "day",
        8000,
        10000,
        "10:00〜17:00（5日間）",
        1,
        100,
        "日本語、英語",
        True,
        False,
    ),
    (
        "job",
        "full_time",
        "foreign",
        "合成データ 研究補助員（英語可）",
        "Synthetic: Research assistant (English OK)",
        "month",
        230000,
        280000,
        "9:00〜18:00",
        2,
        67,
        "英語、日本語",
        True,
        True,
    ),
]


@transaction.atomic
def load_demo(*, strategy) -> str:
    """Returns a one-line summary. Idempotent: nothing is added when synthetic postings exist."""
    from sangyo.registry.models import Business, District, PartnerOrganisation

    if Posting.objects.filter(is_synthetic=True).exists():
        return "変更はありません（作成済み）"
    businesses = list(Business.objects.filter(is_synthetic=True).order_by("pk")[:12])
    if len(businesses) < 4:
        return "0（合成データの事業者がありません）"
    actor = "demo"
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=10), today + datetime.timedelta(days=80)
    postings = []
    for n, (purpose, category, ja, en, body, keywords, jsic, region) in enumerate(POSTINGS):
        posting = services.posting_create(
            business=businesses[n % len(businesses)],
            actor=actor,
            purpose=purpose,
            category=category,
            title_ja=ja,
            title_en=en,
            body_ja=body,
            keywords=keywords,
            jsic_code=jsic,
            region=region,
            starts_on=start,
            ends_on=end,
            contact_consent=True,
            is_synthetic=True,
        )
        postings.append(services.posting_moderate(posting=posting, action="publish", actor=actor))
    # One pending posting stays in the staff queue.
    services.posting_create(
        business=businesses[-1],
        actor=actor,
        purpose="order",
        category="logistics",
        title_ja="合成データ 市内配送の委託先を探しています（審査待ち）",
        body_ja="週3回、市内の取引先へ配送をお願いできる事業者を探しています。",
        keywords="配送、物流",
        region="city",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=60),
        contact_consent=True,
        is_synthetic=True,
    )
    need, seed = postings[0], postings[1]
    interest = services.interest_create(
        posting=need,
        business=seed.business,
        actor=actor,
        message="（合成データ）弊社で対応できます。図面を拝見できますか。",
    )
    interest.is_synthetic = True
    interest.save(update_fields=["is_synthetic"])
    services.introduction_create(
        interest=interest,
        actor=actor,
        note="（合成データ）産業コーディネーターが面談を設定",
        date=today - datetime.timedelta(days=5),
        is_synthetic=True,
    )
    services.deal_report(
        interest=interest,
        actor=actor,
        summary="（合成データ）試作部品50個の加工を受注",
        date=today - datetime.timedelta(days=1),
        is_synthetic=True,
    )

    partner, _ = PartnerOrganisation.objects.get_or_create(
        name="合成データ 不動産関係団体",
        defaults={
            "kind": "real_estate",
            "role": "事業用不動産物件情報連携協定（合成データ）",
            "is_synthetic": True,
        },
    )
    district = District.objects.order_by("order").first()
    props = []
    for ja, en, use, challenge, area, rent, address in PROPERTIES:
        props.append(
            services.property_save(
                actor=actor,
                partner=partner,
                title_ja=ja,
                title_en=en,
                use=use,
                is_challenge_shop=challenge,
                area_m2=area,
                rent_yen=rent,
                address=address,
                district=district,
                available_from=today,
                is_published=True,
                is_synthetic=True,
            )
        )
    services.property_enquire(
        property=props[0],
        name="合成 創業希望者",
        email="founder@example.jp",
        message="（合成データ）内覧を希望します。",
        consent=True,
        is_synthetic=True,
    )
    services.property_propose(
        property=props[1],
        business=businesses[2],
        actor=actor,
        note="（合成データ）創業相談の際にチャレンジショップを提案",
        date=today,
        is_synthetic=True,
    )

    jobs = []
    for n, (
        kind,
        employment,
        target,
        ja,
        en,
        unit,
        lo,
        hi,
        hours,
        takers,
        rate,
        langs,
        english,
        visa,
    ) in enumerate(JOBS):
        job = services.job_create(
            business=businesses[n],
            actor=actor,
            kind=kind,
            employment_type=employment,
            target=target,
            title_ja=ja,
            title_en=en,
            description_ja="（合成データ）仕事の内容の説明です。",
            description_en="(Synthetic) Description of the work.",
            place="茨城県つくば市（合成データ）",
            pay_unit=unit,
            pay_min=lo,
            pay_max=hi,
            hours=hours,
            paternity_leave_takers=takers,
            paternity_leave_rate=rate,
            languages=langs,
            english_ok=english,
            visa_support=visa,
            disability_support="（合成データ）段差のない職場です",
            starts_on=start,
            ends_on=end,
            is_synthetic=True,
        )
        jobs.append(services.job_moderate(job=job, action="publish", actor=actor))
    applications = [
        services.job_apply(
            job=jobs[1],
            name="合成 学生",
            email="student@example.jp",
            message="（合成データ）データ分析を学んでいます。",
            consent=True,
            seeker_type=JobApplication.Seeker.STUDENT,
            is_synthetic=True,
        ),
        services.job_apply(
            job=jobs[2],
            name="Synthetic Resident（合成）",
            email="resident@example.jp",
            message="(Synthetic) I am interested.",
            consent=True,
            seeker_type=JobApplication.Seeker.FOREIGN,
            language="en",
            is_synthetic=True,
        ),
    ]
    services.application_set_status(
        application=applications[0],
        status=JobApplication.Status.HIRED,
        actor=actor,
        is_synthetic=True,
    )
    return (
        f"ニーズ・シーズ {len(postings) + 1}、紹介 1、成約 1、物件 {len(props)}、"
        f"求人 {len(jobs)}、応募 {len(applications)}、採用・受入 1"
    )
