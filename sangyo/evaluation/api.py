"""Read-only API: the published evaluation of a fiscal year, exactly the open data JSON
(small counts suppressed; see docs/evaluation.md for the schema)."""

from django.http import Http404
from ninja import Router

router = Router(tags=["evaluation"])


@router.get("/evaluation/{fy}", summary="施策評価の公開データ（年度別）")
def evaluation_year(request, fy: int):
    from sangyo.indicators.selectors import current_strategy

    from . import opendata, selectors

    strategy = current_strategy()
    if not (strategy.start_fy - 1 <= fy <= strategy.end_fy + 1):
        raise Http404
    return opendata.as_dict(selectors.year_figures(strategy, fy, public=True))
