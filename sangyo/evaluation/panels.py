"""The evaluation's section on a measure's page: its published sheets, newest year first."""

from .models import Sheet


def evaluation_panel(measure):
    """Nothing when no sheet of the measure is published (one query)."""
    latest: dict[int, Sheet] = {}
    for sheet in Sheet.objects.filter(measure=measure, status=Sheet.Status.PUBLISHED).order_by(
        "fiscal_year", "version"
    ):
        latest[sheet.fiscal_year] = sheet
    if not latest:
        return None
    sheets = [latest[fy] for fy in sorted(latest, reverse=True)]
    return "evaluation/_measure_panel.html", {"evaluation_sheets": sheets}
