"""Access rules for navigator."""

RULES: dict = {}
