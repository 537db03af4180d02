"""The JSON API under /api/v1/, documented at /api/v1/openapi.json.

Each app contributes a router from its own `api.py`; this module only assembles them.
"""

from ninja import NinjaAPI

from sangyo.applications.api import router as programs_router
from sangyo.evaluation.api import router as evaluation_router
from sangyo.indicators.api import router as indicators_router
from sangyo.matching.api import router as matching_router
from sangyo.navigator.api import router as navigator_router
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
api.add_router("/", matching_router)
api.add_router("/", evaluation_router)
api.add_router("/", navigator_router)
