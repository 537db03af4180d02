"""Access rules for matching."""

RULES: dict = {}
