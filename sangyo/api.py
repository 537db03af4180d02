"""The JSON API under /api/v1/, documented at /api/v1/openapi.json (Swagger UI at
/api/v1/docs).

Each app contributes a router from its own `api.py`; this module only assembles them.
What every operation shares (error shape, pagination, ETags, caching, operation ids) is in
`sangyo.api_common`; the staff API's bearer tokens are in `sangyo.integrations`.
"""

from sangyo.api_common import ClientRateThrottle, SangyoAPI, install_error_handlers
from sangyo.applications.api import router as programs_router
from sangyo.evaluation.api import router as evaluation_router
from sangyo.events.api import router as events_router
from sangyo.indicators.api import router as indicators_router
from sangyo.integrations.api import router as staff_router
from sangyo.matching.api import router as matching_router
from sangyo.navigator.api import router as navigator_router
from sangyo.strategy.api import router as strategy_router

DESCRIPTION = """\
産業戦略プラットフォーム Sangyo のAPIです。公開データ（戦略・指標・支援事業と募集・イベント・
認定品・施策評価・検索・マッチング）は認証なしで読めます。`/staff/…` は職員の業務システム向けで、
APIトークン（`Authorization: Bearer …`）とスコープが必要です。

The API of Sangyo. Public data (strategy, indicators, programs and calls, events, certified
products, evaluation, search, matching) needs no authentication. `/staff/…` is for the
city's own systems and needs an API token (`Authorization: Bearer …`) with the scope named
on each operation.

- 一覧 / lists: `?limit=`（1–500）`&offset=` → `{count, next, previous, results}`
- エラー / errors: `{"detail": "…", "code": "not_found" | "validation_error" | …}`
- GET には ETag があり、`If-None-Match` が一致すれば 304 / GET answers carry an ETag;
  a matching `If-None-Match` gets 304. Public answers: `Cache-Control: public, max-age=60`.

詳しくは docs/api.md / See docs/api.md.
"""

api = SangyoAPI(
    title="Sangyo API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    throttle=[ClientRateThrottle()],
    openapi_extra={
        "tags": [
            {"name": "strategy", "description": "産業戦略（施策体系） / the strategy tree"},
            {"name": "indicators", "description": "成果・活動指標 / KPIs"},
            {
                "name": "programs",
                "description": "支援事業・募集・認定品 / programs, calls, certified products",
            },
            {"name": "events", "description": "イベント / events"},
            {"name": "evaluation", "description": "施策評価の公開データ / evaluation open data"},
            {"name": "search", "description": "全文検索 / full-text search"},
            {"name": "matching", "description": "マッチング / needs, seeds, properties, jobs"},
            {
                "name": "staff",
                "description": "職員向け（APIトークン） / staff integrations (token)",
            },
        ]
    },
)
install_error_handlers(api)
api.add_router("/", strategy_router)
api.add_router("/", indicators_router)
api.add_router("/", programs_router)
api.add_router("/", events_router)
api.add_router("/", matching_router)
api.add_router("/", evaluation_router)
api.add_router("/", navigator_router)
api.add_router("/", staff_router)
