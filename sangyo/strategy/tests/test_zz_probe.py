import pytest
from sangyo.strategy.schema import StrategyDoc
from sangyo.strategy.services import strategy_load
from sangyo.strategy.models import *
pytestmark = pytest.mark.django_db
def edit(doc, fn):
    d = doc.model_dump(); fn(d); return StrategyDoc.model_validate(d)
def test_vision_removed(tsukuba, tsukuba_doc):
    def ch(d):
        d["visions"].pop()
        d["themes"][3]["vision"] = "III"
    r = strategy_load(doc=edit(tsukuba_doc, ch), actor="t")
    print(r.changes)
def test_rename_subtheme(tsukuba, tsukuba_doc):
    def ch(d):
        d["themes"][3]["sub_themes"][1]["code"] = "work-env"
        for m in d["measures"]:
            if m["sub_theme"] == "work-environment": m["sub_theme"] = "work-env"
    r = strategy_load(doc=edit(tsukuba_doc, ch), actor="t")
    print(r.changes)
def test_renumber(tsukuba, tsukuba_doc):
    def ch(d):
        m = d["measures"][-1]
        m["number"] = "18"
        for p in m["programs"]: p["code"] = "18" + p["code"][2:]
    r = strategy_load(doc=edit(tsukuba_doc, ch), actor="t")
    print(r.changes)
def test_swap_theme_of_subtheme(tsukuba, tsukuba_doc):
    def ch(d):
        st = d["themes"][3]["sub_themes"].pop()
        d["themes"][2]["sub_themes"].append(st)
    r = strategy_load(doc=edit(tsukuba_doc, ch), actor="t")
    print(r.changes)
def test_swap_vision_codes(tsukuba, tsukuba_doc):
    def ch(d):
        d["visions"][0]["code"], d["visions"][1]["code"] = "II", "I"
        d["themes"][0]["vision"], d["themes"][1]["vision"] = "II", "I"
    r = strategy_load(doc=edit(tsukuba_doc, ch), actor="t")
    print(r.changes)
def test_move_program_between_measures_same_code_pattern(tsukuba, tsukuba_doc):
    # swap order of programs
    def ch(d):
        d["measures"][0]["programs"].reverse()
    r = strategy_load(doc=edit(tsukuba_doc, ch), actor="t")
    print(r.changes)
