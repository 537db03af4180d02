"""The indicators' section on a measure's page: 「この施策の指標」 with latest value and status."""

from .selectors import measure_indicators


def indicators_panel(measure):
    """Nothing when the measure has no indicators (the page then shows no section)."""
    indicators = measure_indicators(measure)
    if not indicators:
        return None
    from .views import list_rows

    return "indicators/_measure_panel.html", {"rows": list_rows(indicators)}
