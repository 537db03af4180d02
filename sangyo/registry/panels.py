"""The registry's section on a measure's page: support delivered, by fiscal year."""

from .selectors import support_counts_for_measure


def support_panel(measure):
    return "registry/_measure_support.html", {"rows": support_counts_for_measure(measure)}
