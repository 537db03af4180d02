"""Access rules for evaluation."""

RULES: dict = {}
