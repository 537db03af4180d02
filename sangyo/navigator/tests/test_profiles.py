"""Written business profiles: for each, the suggestions a city officer would give come first,
and the explanations say which answer matched which measure, and why a rule fails.

Read with strategies/tsukuba-2025.yaml (measures 01–17) and
sangyo/applications/data/programs-tsukuba.yaml (details and eligibility of 05-1, 06-1, 10-1,
11-1, 11-2, 16-1, 17-1)."""

from dataclasses import dataclass, field

import pytest
from django.http import QueryDict

from sangyo.navigator import engine


@dataclass
class Profile:
    name: str
    query: str
    top: list[str]  # program codes expected in the top `n`
    n: int = 5
    reasons: dict[str, list[str]] = field(default_factory=dict)  # code → phrases in reasons
    fails: dict[str, list[str]] = field(default_factory=dict)  # code → phrases in fail reasons
    absent_top: list[str] = field(default_factory=list)  # codes that must not be in the top n
    outside: list[str] = field(default_factory=list)  # outside program ids expected
    no_outside: list[str] = field(default_factory=list)


PROFILES = [
    Profile(
        "founder-to-be in the city wanting to start",
        "stage=pre_founding&in_city=yes&challenge=new-business",
        ["10-1", "11-1"],
        n=3,
        reasons={
            "10-1": [
                "事業の段階「これから創業する」を選んだため、施策10",
                "「新たな事業を行いたい」",
            ],
            "11-1": ["事業の段階「これから創業する」", "施策11"],
        },
    ),
    Profile(
        "young company short of cash",
        "stage=young&in_city=yes&employees=4&challenge=finance",
        ["02-1", "02-2", "10-1"],
        reasons={
            "02-1": [
                "課題「資金繰りを改善したい」を選んだため、施策02「経営安定化へ向けた資金調達支援」"
            ],
            "10-1": ["「資金繰りを改善したい」が含まれます"],
        },
        fails={"11-1": ["法人設立（登記）前に申請する必要があります"]},
    ),
    Profile(
        "established manufacturer in the city wanting new customers",
        "stage=established&industry=E&employees=30&capital=10000000&in_city=yes&challenge=sales",
        ["05-1", "06-1"],
        n=2,
        reasons={
            "05-1": [
                "課題「販路拡大・海外展開をしたい」を選んだため、施策05",
                "利用目的（jGrants）",
            ],
            "06-1": ["業種「製造業」が対象業種に含まれます"],
        },
    ),
    Profile(
        "business outside the city wanting new customers",
        "stage=established&in_city=no&challenge=sales",
        ["05-2", "06-2"],
        n=2,
        fails={"05-1": ["市外の事業者です"], "06-1": ["市外の事業者です"]},
        absent_top=["05-1", "06-1"],
    ),
    Profile(
        "large manufacturer (not an SME) wanting trade-fair support",
        "stage=established&industry=E&employees=1200&capital=1000000000&in_city=yes&challenge=sales",
        ["06-1"],
        n=2,
        fails={"05-1": ["中小企業者ではありません"]},
        absent_top=["05-1"],
    ),
    Profile(
        "owner looking for a successor",
        "stage=established&in_city=yes&challenge=succession",
        ["04-1", "04-2"],
        n=2,
        reasons={
            "04-1": ["課題「事業を引き継ぎたい（事業承継）」を選んだため、施策04「事業承継支援」"]
        },
        outside=["SYN-0003"],
    ),
    Profile(
        "stage 'planning succession' alone points to measure 04",
        "stage=succession&in_city=yes",
        ["04-1", "04-2"],
        n=2,
        reasons={"04-1": ["事業の段階「事業承継を考えている」を選んだため、施策04"]},
    ),
    Profile(
        "small workshop wanting to go digital",
        "stage=established&industry=E&employees=8&in_city=yes&challenge=it",
        ["03-1", "03-2"],
        n=2,
        reasons={"03-1": ["課題「設備整備・IT導入をしたい（DX）」を選んだため、施策03"]},
        outside=["SYN-0001"],
    ),
    Profile(
        "firm wanting to train its staff",
        "stage=established&in_city=yes&employees=40&challenge=training",
        ["16-1"],
        n=1,
        reasons={"16-1": ["施策16「人材育成支援」", "「人材育成を行いたい」が含まれます"]},
    ),
    Profile(
        "firm struggling to hire",
        "stage=established&in_city=yes&challenge=employment",
        ["17-1", "14-1", "14-2"],
        n=3,
        reasons={"14-1": ["施策14「就労支援」"]},
    ),
    Profile(
        "employer supporting fathers' childcare leave",
        "stage=established&in_city=yes&challenge=childcare",
        ["17-1"],
        n=1,
        reasons={"17-1": ["施策17「労働環境整備支援」", "「教育・子育て・少子化支援がほしい」"]},
    ),
    Profile(
        "founder looking for premises in the city",
        "stage=pre_founding&in_city=yes&challenge=premises",
        ["11-2", "12-1"],
        n=4,
        reasons={"11-2": ["課題「市内に事業所・店舗を構えたい」を選んだため、施策11"]},
    ),
    Profile(
        "research-based firm developing a new product",
        "stage=established&industry=L&in_city=yes&challenge=rnd",
        ["07-2", "09-2"],
        n=4,
        reasons={"09-2": ["施策09「企業間連携の支援」"]},
    ),
    Profile(
        "firm wanting to cut its carbon emissions",
        "stage=established&in_city=yes&challenge=eco",
        ["03-2"],
        n=2,
        reasons={"03-2": ["課題「エコ・SDGs活動支援がほしい」を選んだため、施策03"]},
    ),
    Profile(
        "owner wanting general management advice",
        "stage=established&in_city=yes&challenge=management",
        ["01-1", "01-2"],
        n=2,
        reasons={"01-2": ["施策01「専門家による伴走支援」"]},
    ),
    Profile(
        "founder-to-be living outside the city",
        "stage=pre_founding&in_city=no&challenge=new-business",
        ["10-1"],
        n=1,
        fails={"11-2": ["市外の事業者です"]},
    ),
    Profile(
        "old firm choosing new business and cash flow: founder programs fail",
        "stage=established&in_city=yes&challenge=new-business&challenge=finance",
        ["07-1", "02-1"],
        n=4,
        fails={"10-1": ["「創業5年以上」と回答しています"]},
        absent_top=["10-1"],
    ),
    Profile(
        "small retailer wanting to sell more",
        "stage=established&industry=I&employees=3&in_city=yes&challenge=sales",
        ["05-1", "06-1"],
        n=2,
        reasons={"06-1": ["業種「卸売業，小売業」が対象業種に含まれます"]},
        outside=["SYN-0002"],
    ),
    Profile(
        "software firm wanting to sell more: certification is for other industries",
        "stage=established&industry=G&employees=50&in_city=yes&challenge=sales",
        ["05-1"],
        n=1,
        fails={"06-1": ["業種「情報通信業」は対象業種"]},
        no_outside=["SYN-0002"],  # 20名以下 only
    ),
    Profile(
        "young firm wanting new business gets founder support too",
        "stage=young&in_city=yes&challenge=new-business",
        ["10-1", "07-1"],
        n=4,
        reasons={"10-1": ["事業の段階「創業5年未満」を選んだため、施策10"]},
    ),
    Profile(
        "large firm wanting IT: the national program's employee band excludes it",
        "stage=established&employees=500&in_city=yes&challenge=it",
        ["03-1"],
        n=1,
        no_outside=["SYN-0001"],
    ),
    Profile(
        "disaster-hit business: no city measure, the prefecture's program is shown",
        "stage=established&in_city=yes&challenge=disaster",
        [],
        outside=["SYN-0004"],
    ),
]


def _reasons(s) -> str:
    return " ".join(r.ja for r in s.reasons)


@pytest.mark.parametrize("profile", PROFILES, ids=[p.name for p in PROFILES])
@pytest.mark.django_db
def test_profile(navigator, profile):
    answers = engine.parse_answers(QueryDict(profile.query))
    result = engine.suggest(answers)
    by_code = {s.code: s for s in result.suggestions}
    top = [s.code for s in result.top(profile.n)]
    for code in profile.top:
        assert code in top, f"{code} not in top {profile.n}: {top}"
    for code in profile.absent_top:
        assert code not in top
    for code, phrases in profile.reasons.items():
        text = _reasons(by_code[code])
        for phrase in phrases:
            assert phrase in text, f"{code}: {phrase!r} not in {text!r}"
    for code, phrases in profile.fails.items():
        s = by_code[code]
        assert not s.fits
        failing = " ".join(r.reason_ja for r in s.failed)
        for phrase in phrases:
            assert phrase in failing, f"{code}: {phrase!r} not in {failing!r}"
    # Every suggestion of the city is explained by a chosen answer.
    chosen = {n.label_ja for n in result.chosen}
    for s in result.suggestions:
        assert s.reasons
        assert any(label in _reasons(s) for label in chosen) or "利用目的" in _reasons(s)
    outside_ids = {o.program.source_id for o in result.outside}
    for sid in profile.outside:
        assert sid in outside_ids
    for sid in profile.no_outside:
        assert sid not in outside_ids
    for o in result.outside:
        assert o.program.source_label and any("利用目的" in r.ja for r in o.reasons)


@pytest.mark.django_db
def test_reasons_name_the_measure_actually_mapped(navigator):
    """A reason's measure number is one the chosen need maps to (explanations are correct)."""
    from sangyo.navigator.models import Need

    answers = engine.parse_answers(
        QueryDict("stage=young&in_city=yes&challenge=sales&challenge=it&challenge=finance")
    )
    result = engine.suggest(answers)
    needs = {n.label_ja: n for n in Need.objects.all()}
    for s in result.suggestions:
        for r in s.reasons:
            if "を選んだため" in r.ja:
                label = r.ja.split("「", 1)[1].split("」", 1)[0]
                assert s.measure.number in needs[label].measures
                assert f"施策{s.measure.number}" in r.ja


@pytest.mark.django_db
def test_english_explanations(navigator):
    answers = engine.parse_answers(QueryDict("stage=established&in_city=no&challenge=sales"))
    result = engine.suggest(answers, lang="en")
    s = next(x for x in result.suggestions if x.code == "05-1")
    assert (
        "You chose the challenge “I want to find new customers or sell abroad”" in s.reasons[0].en
    )
    assert any(r.reason_en == "The business is outside the city" for r in s.failed)


@pytest.mark.django_db
def test_unknown_until_answered(navigator):
    """Without the location and size, the rules say they are unknown, and why."""
    result = engine.suggest(engine.parse_answers(QueryDict("challenge=sales")))
    s = next(x for x in result.suggestions if x.code == "05-1")
    unknown = {r.code: r.reason_ja for r in s.unknown}
    assert "所在地（市内かどうか）を回答すると判定できます" in unknown["in_city"]
    assert "規模を判定できません" in unknown["sme"]
    assert s.fits


@pytest.mark.django_db
def test_open_call_desk_and_event_are_next_steps(navigator):
    import datetime

    from django.utils import timezone

    from sangyo.applications.tests.factories import config_call
    from sangyo.consultations.tests.factories import desk
    from sangyo.events.tests.factories import event
    from sangyo.strategy.models import Program

    strategy = navigator["strategy"]
    call = config_call(navigator["details"]["05-1"])
    desk(strategy, code="05-2", name="合成データ販路相談窓口")
    ev = event(
        strategy=strategy,
        program=Program.objects.get(code="06-2", measure__strategy=strategy),
        title_ja="合成データ ふるさと納税説明会",
        starts_at=timezone.now() + datetime.timedelta(days=10),
        ends_at=timezone.now() + datetime.timedelta(days=10, hours=2),
    )
    answers = engine.parse_answers(
        QueryDict("stage=established&employees=10&in_city=yes&challenge=sales")
    )
    result = engine.suggest(answers)
    by_code = {s.code: s for s in result.suggestions}
    assert result.top(1)[0].code == "05-1"  # the open call adds to its fit
    steps = by_code["05-1"].next_steps
    assert steps[0].kind == "apply" and steps[0].url == f"/apply/calls/{call.pk}/"
    assert "締切" in steps[0].label_ja
    assert by_code["05-2"].next_steps[0].url == "/consult/"
    assert by_code["05-2"].next_steps[0].kind == "book"
    assert any(st.url == f"/events/{ev.pk}/" for st in by_code["06-2"].next_steps)


@pytest.mark.django_db
def test_nothing_fits_offers_the_general_desk(navigator, client):
    response = client.get("/navigator/results/?stage=established&in_city=yes")
    html = response.content.decode()
    assert response.status_code == 200
    assert "回答に合う支援は見つかりませんでした" in html
    assert 'href="/consult/"' in html


@pytest.mark.django_db
def test_mapping_is_data(navigator):
    """Staff change the mapping; the suggestions follow without code."""
    from sangyo.navigator import services
    from sangyo.navigator.models import Need

    need = Need.objects.get(kind="challenge", code="sales")
    services.need_update(need=need, actor="test", measures=["09"])
    result = engine.suggest(engine.parse_answers(QueryDict("in_city=yes&challenge=sales")))
    assert result.top(1)[0].measure.number == "09"
