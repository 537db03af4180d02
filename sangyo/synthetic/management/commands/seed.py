"""`sangyo seed synthetic --businesses N --years Y [--records-per-business K] [--events-per-year E]`

Fills the database with CLEARLY SYNTHETIC data at benchmark scales (10,000 businesses for
Tsukuba; 1,000,000 businesses with 10,000,000 support records for the large scale):

- businesses (names start with 「合成」, `is_synthetic`), by COPY on PostgreSQL;
- support records over the last Y fiscal years on the current strategy's programs, about K
  per business (default 10 ÷ 1 = 10 in all), by COPY;
- figures for every indicator entered by hand, for each of the Y years that has none;
- events for each year (E per year) with registrations and attendance by synthetic businesses;
- calls and applications for each year and subsidy/certification program (A per call; by
  default one business in 500), in every state, with amounts, payments and the support
  records the application services write (sangyo/synthetic/applications.py);
- computed indicators recounted, and the output-count summary refreshed.

Refuses a database that already holds non-synthetic businesses unless --force, so it cannot
mix invented records into a working registry. Reviews and status histories of the synthetic
applications are not generated; `sangyo demo` walks a few applications through the real
services.
"""

from __future__ import annotations

import datetime
import random
import time
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sangyo.core.fiscal import fiscal_year


class Command(BaseCommand):
    help = "Fill the database with synthetic data at benchmark scale (clearly labelled)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        synthetic = sub.add_parser("synthetic", help="businesses, support records, figures, events")
        synthetic.add_argument("--businesses", type=int, default=10_000)
        synthetic.add_argument("--years", type=int, default=2)
        synthetic.add_argument("--records-per-business", type=int, default=10)
        synthetic.add_argument("--events-per-year", type=int, default=12)
        synthetic.add_argument(
            "--applications-per-call", type=int, default=None, help="default: businesses ÷ 500"
        )
        synthetic.add_argument("--seed", type=int, default=2025)
        synthetic.add_argument("--force", action="store_true")

    def handle(self, *args, action, **o):
        from sangyo.registry import synthetic
        from sangyo.registry.models import Business
        from sangyo.strategy.models import Strategy

        strategy = Strategy.objects.filter(is_current=True).first()
        if strategy is None:
            raise CommandError(
                "現行の戦略がありません。先に sangyo strategy load ファイル --make-current を実行してください"
            )
        if not o["force"] and Business.objects.filter(is_synthetic=False).exists():
            raise CommandError(
                "合成でない事業者が登録されているデータベースには合成データを入れません（--force で上書き可）"
            )
        if o["businesses"] < 0 or not 1 <= o["years"] <= 20:
            raise CommandError("--businesses は0以上、--years は1〜20で指定してください")
        this_fy = fiscal_year(timezone.localdate())
        years = list(range(this_fy - o["years"] + 1, this_fy + 1))
        started = time.perf_counter()

        def step(label, done, seconds):
            self.stdout.write(f"  {label}: {done:,}（{seconds:.1f}秒）")

        have = Business.objects.filter(is_synthetic=True).count()
        missing = max(0, o["businesses"] - have)
        self.stdout.write(f"事業者（合成）: 既存 {have:,}、追加 {missing:,}")
        if missing:
            synthetic.load(missing, seed=o["seed"], progress=lambda d, s: step("事業者", d, s))
        from sangyo.registry.models import SupportRecord

        if not SupportRecord.objects.filter(source__startswith="synthetic:").exists():
            self.stdout.write(f"支援記録（合成）: {years[0]}〜{years[-1]}年度")
            result = synthetic.load_support_records(
                per_business=o["records_per_business"],
                years=years,
                seed=o["seed"],
                progress=lambda d, s: step("支援記録", d, s),
            )
            self.stdout.write(f"  計 {result.rows:,}件")
        else:
            self.stdout.write("支援記録（合成）: 既にあるため追加しません")
        self.stdout.write(f"指標の値（合成）: {self._observations(strategy, years, o['seed'])}件")
        self.stdout.write(f"イベント（合成）: {self._events(strategy, years, o)}件")
        from sangyo.synthetic.applications import load_applications, per_call_default

        per_call = o["applications_per_call"]
        if per_call is None:
            per_call = per_call_default(max(o["businesses"], have))
        made = load_applications(strategy=strategy, years=years, per_call=per_call, seed=o["seed"])
        if made.calls:
            self.stdout.write(
                f"募集・申請（合成）: 募集 {made.calls:,}件、申請 {made.applications:,}件、"
                f"支払 {made.payments:,}件、支援記録 {made.support_records:,}件"
            )
        else:
            self.stdout.write("募集・申請（合成）: 既にあるため追加しません")
        call_command("indicators", "refresh", stdout=self.stdout)
        from sangyo.evaluation.summary import output_counts_refresh

        refreshed = output_counts_refresh(strategy=strategy, actor="seed")[strategy.pk]
        self.stdout.write(
            f"アウトプット件数の集計: {refreshed['rows']:,}行（{refreshed['seconds']:.1f}秒）"
        )
        self.stdout.write(f"完了（{time.perf_counter() - started:.1f}秒）")

    def _observations(self, strategy, years, seed) -> int:
        """A figure for each hand-entered indicator and year that has none, near its
        baseline or its latest figure (±5 %), marked as synthetic in its note."""
        from sangyo.indicators.models import Indicator, Observation
        from sangyo.indicators.services import ObservationInput, observation_record

        rng = random.Random(seed)
        added = 0
        indicators = Indicator.objects.filter(strategy=strategy).exclude(
            obtained=Indicator.Obtained.COMPUTED
        )
        for indicator in indicators:
            have = dict(indicator.observations.values_list("fiscal_year", "value"))
            last = next((have[y] for y in sorted(have, reverse=True)), None)
            revision = indicator.revisions.order_by("-id").first()
            base = last if last is not None else (revision.baseline_value if revision else None)
            if base is None:
                base = Decimal(100)
            for fy in years:
                if fy in have:
                    continue
                value = (Decimal(base) * Decimal(1 + rng.uniform(-0.05, 0.05))).quantize(
                    Decimal("1")
                )
                observation_record(
                    indicator=indicator,
                    data=ObservationInput(
                        fiscal_year=fy,
                        value=value,
                        status=Observation.Status.PRELIMINARY,
                        note="合成データ（ベンチマーク用）",
                    ),
                    actor="seed",
                )
                added += 1
        return added

    def _events(self, strategy, years, o) -> int:
        from sangyo.events import services
        from sangyo.events.models import Event
        from sangyo.registry.models import Business
        from sangyo.strategy.models import Program

        rng = random.Random(o["seed"])
        programs = list(Program.objects.filter(measure__strategy=strategy))
        businesses = list(
            Business.objects.filter(is_synthetic=True)
            .order_by("id")
            .values_list("id", flat=True)[:5000]
        )
        made = 0
        for fy in years:
            for n in range(o["events_per_year"]):
                title = f"合成データ 事業者セミナー {fy}-{n + 1:02d}"
                if Event.objects.filter(title_ja=title, is_synthetic=True).exists():
                    continue
                day = datetime.date(fy, 4, 1) + datetime.timedelta(days=rng.randint(0, 364))
                starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(14)))
                event = services.event_create(
                    actor="seed",
                    title_ja=title,
                    title_en=f"Synthetic seminar {fy}-{n + 1:02d}",
                    kind=rng.choice(Event.Kind.values),
                    program=rng.choice(programs),
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=2),
                    place="合成データ会場",
                    capacity=40,
                    is_synthetic=True,
                )
                for business_id in rng.sample(businesses, k=min(len(businesses), 30)):
                    registration = services.registration_create(
                        event=event,
                        name="合成 参加者",
                        business=Business(pk=business_id),
                        actor="seed",
                        is_synthetic=True,
                        check_window=False,
                    )
                    if starts < timezone.now() and rng.random() < 0.8:
                        services.registration_attend(registration=registration, actor="seed")
                made += 1
        return made
