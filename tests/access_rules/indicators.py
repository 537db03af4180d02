"""Access rules for the public indicator pages, open data and API: published figures are
public, so every role (and anonymous visitors) may read them."""

from tests.access_rules import PUBLIC


def _detail(objects) -> str:
    return f"/indicators/{objects['indicator'].pk}/"


def _api_detail(objects) -> str:
    return f"/api/v1/indicators/{objects['indicator'].pk}"


RULES = {
    "indicators:dashboard": ("get", "/indicators/", PUBLIC),
    "indicators:detail": ("get", _detail, PUBLIC),
    "indicators:download_csv": ("get", "/indicators/download.csv", PUBLIC),
    "indicators:download_json": ("get", "/indicators/download.json", PUBLIC),
    "api:list_indicators": ("get", "/api/v1/indicators", PUBLIC),
    "api:get_indicator": ("get", _api_detail, PUBLIC),
}


def objects(users, tsukuba):
    from sangyo.indicators.models import Indicator

    return {"indicator": Indicator.objects.get(strategy=tsukuba, code="gross-municipal-product")}
