"""Loading a strategy: idempotent upsert by natural keys, audited, all or nothing."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from conftest import TSUKUBA_FILE
from sangyo.core.models import AuditEvent
from sangyo.strategy.models import Kpi, Measure, Program, Strategy, SubTheme, Theme, Vision
from sangyo.strategy.schema import StrategyDoc
from sangyo.strategy.services import (
    StrategyLoadError,
    file_sha256,
    register_removal_guard,
    strategy_load,
    strategy_make_current,
    unregister_removal_guard,
)

pytestmark = pytest.mark.django_db

MODELS = (Strategy, Vision, Kpi, Theme, SubTheme, Measure, Program)


def strategy_events():
    """Audit events of the strategy app (other apps' after-load hooks write their own)."""
    return AuditEvent.objects.filter(code__startswith="strategy.")


def edit(doc: StrategyDoc, change) -> StrategyDoc:
    data = doc.model_dump()
    change(data)
    return StrategyDoc.model_validate(data)


def measure(data: dict, number: str) -> dict:
    return next(m for m in data["measures"] if m["number"] == number)


def snapshot() -> dict:
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in MODELS}


def keys() -> dict:
    """Primary key of every row by its natural key."""
    return {
        **{("vision", v.code): v.pk for v in Vision.objects.all()},
        **{("kpi", k.code): k.pk for k in Kpi.objects.all()},
        **{("theme", t.code): t.pk for t in Theme.objects.all()},
        **{("sub_theme", s.code): s.pk for s in SubTheme.objects.all()},
        **{("measure", m.number): m.pk for m in Measure.objects.all()},
        **{("program", p.code): p.pk for p in Program.objects.all()},
        **{("strategy", s.code): s.pk for s in Strategy.objects.all()},
    }


def as_set(changes: list[dict]) -> set:
    return {(c["op"], c["kind"], c["key"], tuple(c.get("fields", ()))) for c in changes}


@pytest.fixture
def guard_records():
    """A removal guard that says the programs with these codes have records."""
    codes: set[str] = set()
    seen: list[set[str]] = []

    def guard(programs):
        doomed = {p.code for p in programs}
        seen.append(doomed)
        return [f"事業例{c}には申請が1件あります" for c in sorted(doomed & codes)]

    register_removal_guard(guard)
    try:
        yield codes, seen
    finally:
        unregister_removal_guard(guard)


def test_first_load_creates_the_tree(tsukuba_doc):
    result = strategy_load(doc=tsukuba_doc, actor="test", source_sha256="abc123")

    assert result.created and result.changed
    assert result.changes == []
    s = result.strategy
    assert Strategy.objects.get() == s
    assert s.is_current  # the only strategy becomes current
    assert s.municipality_code == "082201"
    assert (s.start_fy, s.end_fy, s.adopted) == (2025, 2029, "2025-03")
    assert s.source_sha256 == "abc123"
    assert s.loaded_at is not None
    assert Vision.objects.filter(strategy=s).count() == 4
    assert Kpi.objects.filter(vision__strategy=s).count() == 4
    assert Theme.objects.filter(strategy=s).count() == 4
    assert SubTheme.objects.filter(theme__strategy=s).count() == 8
    assert Measure.objects.filter(strategy=s).count() == 17
    programs = sum(len(m.programs) for m in tsukuba_doc.measures)
    assert Program.objects.filter(measure__strategy=s).count() == programs == 31

    gmp = Kpi.objects.get(code="gross-municipal-product")
    assert gmp.baseline_value == Decimal("14383")
    assert gmp.baseline_fy is None  # not_stated
    assert (gmp.target_value, gmp.target_fy) == (Decimal("16234"), 2029)
    assert Measure.objects.get(number="05").sub_theme.code == "market-development"
    assert s.ordinance["in_force"] == "2025-03"

    event = strategy_events().get()
    assert event.code == "strategy.strategy.created"
    assert event.actor_label == "test"
    assert (event.target_type, event.target_id) == ("strategy.strategy", str(s.pk))
    assert event.data["sha256"] == "abc123"


def test_loading_the_same_doc_again_changes_nothing(tsukuba, tsukuba_doc):
    before, events = snapshot(), strategy_events().count()

    result = strategy_load(doc=tsukuba_doc, actor="test", source_sha256="other")

    assert not result.created
    assert result.changes == []
    assert not result.changed
    assert result.strategy.pk == tsukuba.pk
    assert strategy_events().count() == events == 1
    assert snapshot() == before


def test_edited_doc_updates_in_place(tsukuba, tsukuba_doc):
    def change(data):
        measure(data, "03")["name"]["ja"] = "業務効率化・先進技術導入の支援"
        measure(data, "16")["programs"].append(
            {"code": "16-2", "name": {"ja": "新しい事業", "en": "A new program"}}
        )
        measure(data, "17")["programs"].pop()  # 17-2, which has no records
        measure(data, "05")["sub_theme"] = "management-resources"

    before_keys, before = keys(), snapshot()
    result = strategy_load(doc=edit(tsukuba_doc, change), actor="test", source_sha256="v2")

    expected = {
        ("changed", "measure", "03", ("name_ja",)),
        ("added", "program", "16-2", ()),
        ("removed", "program", "17-2", ()),
        ("changed", "measure", "05", ("sub_theme",)),
    }
    assert not result.created
    assert as_set(result.changes) == expected
    assert len(result.changes) == 4

    event = strategy_events().get(code="strategy.strategy.updated")
    assert as_set(event.data["changes"]) == expected
    assert len(event.data["changes"]) == 4
    assert event.data["sha256"] == "v2"
    assert strategy_events().count() == 2

    after_keys = keys()
    added = after_keys.keys() - before_keys.keys()
    removed = before_keys.keys() - after_keys.keys()
    assert added == {("program", "16-2")}
    assert removed == {("program", "17-2")}
    assert {k: after_keys[k] for k in before_keys.keys() - removed} == {
        k: v for k, v in before_keys.items() if k not in removed
    }

    assert Measure.objects.get(number="03").name_ja == "業務効率化・先進技術導入の支援"
    assert Measure.objects.get(number="05").sub_theme.code == "management-resources"
    assert list(
        Program.objects.filter(measure__number="16")
        .order_by("order")
        .values_list("code", flat=True)
    ) == ["16-1", "16-2"]
    assert result.strategy.source_sha256 == "v2"

    # Rows the edit did not touch are byte-for-byte the same.
    after = snapshot()
    untouched = {"Vision", "Kpi", "Theme", "SubTheme"}
    assert {k: after[k] for k in untouched} == {k: before[k] for k in untouched}
    same_measures = [m for m in before["Measure"] if m["number"] not in {"03", "05"}]
    assert [m for m in after["Measure"] if m["number"] not in {"03", "05"}] == same_measures


def test_kpi_moved_to_another_vision_keeps_its_row(tsukuba, tsukuba_doc):
    def change(data):
        kpi = data["visions"][2]["kpis"].pop()
        data["visions"][1]["kpis"].append(kpi)
        data["visions"][2]["kpis"].append(
            {**kpi, "code": "founders-new", "name": {"ja": "新しい指標", "en": "New KPI"}}
        )

    pk = Kpi.objects.get(code="new-founders").pk
    result = strategy_load(doc=edit(tsukuba_doc, change), actor="test")
    assert as_set(result.changes) == {
        ("changed", "kpi", "new-founders", ("order", "vision")),
        ("added", "kpi", "founders-new", ()),
    }
    moved = Kpi.objects.get(code="new-founders")
    assert moved.pk == pk
    assert moved.vision.code == "II"


def test_removing_a_measure_removes_its_programs(tsukuba, tsukuba_doc):
    doc = edit(tsukuba_doc, lambda d: d["measures"].remove(measure(d, "13")))
    result = strategy_load(doc=doc, actor="test")
    assert as_set(result.changes) == {
        ("removed", "program", "13-1", ()),
        ("removed", "measure", "13", ()),
    }
    assert not Measure.objects.filter(number="13").exists()
    assert not Program.objects.filter(code="13-1").exists()
    assert Measure.objects.count() == 16


def test_removing_a_vision_and_renaming_a_sub_theme(tsukuba, tsukuba_doc):
    """Children move first, then what the file no longer has is deleted, children first."""

    def change(data):
        data["visions"].pop()  # IV and its KPI
        data["themes"][3]["vision"] = "III"
        data["themes"][3]["sub_themes"][1]["code"] = "work-env"
        for m in data["measures"]:
            if m["sub_theme"] == "work-environment":
                m["sub_theme"] = "work-env"

    theme_pk = Theme.objects.get(code="talent").pk
    result = strategy_load(doc=edit(tsukuba_doc, change), actor="test")
    assert as_set(result.changes) == {
        ("changed", "theme", "talent", ("vision",)),
        ("added", "sub_theme", "work-env", ()),
        ("changed", "measure", "15", ("sub_theme",)),
        ("changed", "measure", "17", ("sub_theme",)),
        ("removed", "sub_theme", "work-environment", ()),
        ("removed", "kpi", "employed-persons", ()),
        ("removed", "vision", "IV", ()),
    }
    assert list(Vision.objects.values_list("code", flat=True)) == ["I", "II", "III"]
    talent = Theme.objects.get(code="talent")
    assert (talent.pk, talent.vision.code) == (theme_pk, "III")
    assert Measure.objects.get(number="17").sub_theme.code == "work-env"
    assert not SubTheme.objects.filter(code="work-environment").exists()


def test_removal_refused_when_records_depend_on_it(tsukuba, tsukuba_doc, guard_records):
    codes, seen = guard_records
    codes.add("13-1")

    def change(data):
        measure(data, "01")["name"]["ja"] = "変更されるはずのない名前"
        data["measures"].remove(measure(data, "13"))

    before, events = snapshot(), strategy_events().count()
    with pytest.raises(StrategyLoadError) as info:
        strategy_load(doc=edit(tsukuba_doc, change), actor="test")

    assert "13-1" in str(info.value)
    assert "孤立" in str(info.value)
    assert seen == [{"13-1"}]  # the guard was asked about exactly what would be deleted
    # All or nothing: the earlier rename in the same load was rolled back too.
    assert Measure.objects.filter(number="13").exists()
    assert Measure.objects.get(number="01").name_ja == "専門家による伴走支援"
    assert snapshot() == before
    assert strategy_events().count() == events


def test_guard_is_not_consulted_about_kept_programs(tsukuba, tsukuba_doc, guard_records):
    codes, seen = guard_records
    codes.add("01-1")
    doc = edit(tsukuba_doc, lambda d: measure(d, "17")["programs"].pop())
    result = strategy_load(doc=doc, actor="test")
    assert as_set(result.changes) == {("removed", "program", "17-2", ())}
    assert seen == [{"17-2"}]


def test_unregistered_guard_is_not_called(tsukuba, tsukuba_doc):
    calls = []

    def guard(programs):
        calls.append(programs)
        return ["refuse"]

    register_removal_guard(guard)
    unregister_removal_guard(guard)
    strategy_load(doc=edit(tsukuba_doc, lambda d: measure(d, "17")["programs"].pop()), actor="t")
    assert calls == []


def _second(doc: StrategyDoc, code: str = "tsukuba-2025-draft") -> StrategyDoc:
    def change(data):
        data["code"] = code
        data["title"]["ja"] = "第２次つくば市産業戦略（改訂案）"

    return edit(doc, change)


def test_second_strategy_loads_beside_the_first(tsukuba, tsukuba_doc):
    result = strategy_load(doc=_second(tsukuba_doc), actor="test")

    assert result.created
    second = result.strategy
    assert second.pk != tsukuba.pk
    assert not second.is_current
    tsukuba.refresh_from_db()
    assert tsukuba.is_current
    assert list(Strategy.objects.filter(is_current=True)) == [tsukuba]
    assert Measure.objects.filter(strategy=second).count() == 17
    assert Measure.objects.filter(strategy=tsukuba).count() == 17
    assert Program.objects.filter(measure__strategy=second).count() == 31
    assert Kpi.objects.filter(vision__strategy=second).count() == 4

    # Reloading either one changes nothing in the other.
    assert strategy_load(doc=tsukuba_doc, actor="test").changes == []
    assert strategy_load(doc=_second(tsukuba_doc), actor="test").changes == []
    assert list(Strategy.objects.filter(is_current=True)) == [tsukuba]


def test_make_current_switches_the_current_strategy(tsukuba, tsukuba_doc):
    second = strategy_load(doc=_second(tsukuba_doc), actor="test", make_current=True).strategy

    assert second.is_current
    tsukuba.refresh_from_db()
    assert not tsukuba.is_current
    assert list(Strategy.objects.filter(is_current=True)) == [second]

    # Reloading the old one does not take "current" back.
    assert strategy_load(doc=tsukuba_doc, actor="test").changes == []
    assert list(Strategy.objects.filter(is_current=True)) == [second]

    strategy_make_current(strategy=tsukuba, actor="test")
    assert list(Strategy.objects.filter(is_current=True)) == [tsukuba]
    event = strategy_events().get(code="strategy.strategy.made_current")
    assert event.target_id == str(tsukuba.pk)
    assert event.data == {"previous": "tsukuba-2025-draft"}

    # Making the current strategy current again is a no-op: no second event.
    tsukuba.refresh_from_db()
    strategy_make_current(strategy=tsukuba, actor="test")
    assert strategy_events().filter(code="strategy.strategy.made_current").count() == 1
    assert Strategy.objects.filter(is_current=True).count() == 1


def test_make_current_on_reload_is_an_audited_change(tsukuba, tsukuba_doc):
    doc = _second(tsukuba_doc)
    strategy_load(doc=doc, actor="test")
    result = strategy_load(doc=doc, actor="test", make_current=True)

    assert result.changes == [
        {"op": "changed", "kind": "strategy", "key": doc.code, "fields": ["is_current"]}
    ]
    assert list(Strategy.objects.filter(is_current=True)) == [result.strategy]
    event = strategy_events().filter(code="strategy.strategy.updated").get()
    assert event.data["changes"] == result.changes


def test_check_command_prints_counts_and_writes_nothing():
    out = StringIO()
    call_command("strategy", "check", str(TSUKUBA_FILE), stdout=out)
    text = out.getvalue()
    assert "問題はありません" in text
    assert "ビジョン4、成果指標4、施策17、事業例31" in text
    assert not Strategy.objects.exists()
    assert not strategy_events().exists()


def test_load_command_twice():
    first, second = StringIO(), StringIO()
    call_command("strategy", "load", str(TSUKUBA_FILE), stdout=first)
    call_command("strategy", "load", str(TSUKUBA_FILE), stdout=second)

    assert "新しく読み込みました: tsukuba-2025" in first.getvalue()
    assert "変更はありません: tsukuba-2025" in second.getvalue()
    assert "新しく読み込みました" not in second.getvalue()
    s = Strategy.objects.get()
    assert s.source_sha256 == file_sha256(TSUKUBA_FILE)
    assert strategy_events().count() == 1


def test_load_command_refused_removal_is_a_command_error(
    tsukuba, tsukuba_doc, tmp_path, guard_records
):
    import yaml

    codes, _seen = guard_records
    codes.add("13-1")
    data = yaml.safe_load(TSUKUBA_FILE.read_text(encoding="utf-8"))
    data["measures"] = [m for m in data["measures"] if m["number"] != "13"]
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    with pytest.raises(CommandError, match="13-1"):
        call_command("strategy", "load", str(path), stdout=StringIO())
    assert Measure.objects.filter(number="13").exists()
    assert strategy_events().count() == 1
