def load_demo(*, strategy) -> str:
    """Synthetic demo data for this app; returns a one-line summary. Idempotent."""
    return "0"
