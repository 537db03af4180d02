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


def selects_of(fn) -> list[str]:
    """The SELECT statements `fn()` runs, as complete SQL text (parameters inlined by the
    driver or by Django), for replay_ms."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("SELECT", "WITH", "(SELECT"))
    ]


def replay_ms(sqls: list[str]) -> float:
    """The floor of a page or a selector: the milliseconds its own SELECTs take as raw SQL
    on the driver's cursor (no ORM, no template), the rows fetched. Run twice; the second
    (warm) run counts, as the measured runs are warm too."""
    import time

    from django.db import connection

    seconds = 0.0
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the driver's own
        for _ in range(2):
            started = time.perf_counter()
            for sql in sqls:
                cursor.execute(sql)
                cursor.fetchall()
            seconds = time.perf_counter() - started
    return seconds * 1000


def floor_ms(fn) -> float:
    return replay_ms(selects_of(fn))
