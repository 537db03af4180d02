"""One line per measured figure, so `make bench` (bench/run_all.py) can gather every
benchmark into one table: `BENCH-RESULT {"operation": …, "median": …, …}` on stdout."""

import json
import os


def emit(
    operation: str,
    scale: str,
    *,
    median: float,
    p95: float | None = None,
    unit: str = "ms",
    floor: float | None = None,
    target: str = "",
    met: bool | None = None,
) -> None:
    from django.db import connection

    print(
        "BENCH-RESULT "
        + json.dumps(
            {
                "operation": operation,
                "scale": scale,
                "database": connection.vendor,
                "median": round(median, 2),
                "p95": None if p95 is None else round(p95, 2),
                "unit": unit,
                "floor": None if floor is None else round(floor, 2),
                "target": target,
                "met": met,
                "load": round(os.getloadavg()[0], 1),
            },
            ensure_ascii=False,
        ),
        flush=True,
    )
