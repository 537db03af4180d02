"""The JSON API under /api/v1/, documented at /api/v1/openapi.json.

Each app contributes a router from its own `api.py`; this module only assembles them.
"""

from ninja import NinjaAPI

from sangyo.applications.api import router as programs_router
from sangyo.indicators.api import router as indicators_router
from sangyo.strategy.api import router as strategy_router

api = NinjaAPI(
    title="Sangyo API",
    version="1",
    description="産業戦略プラットフォーム Sangyo の公開API / Public API of Sangyo",
    urls_namespace="api",
)
api.add_router("/", strategy_router)
api.add_router("/", indicators_router)
api.add_router("/", programs_router)
