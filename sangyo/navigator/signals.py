"""Keep the search index in step: after each save or delete of an indexed model, the
object's documents are replaced once the transaction commits (a rolled-back change leaves the
index alone), and after every strategy load the strategy's measures and programs are
re-indexed (the loader writes them in bulk)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from . import search

_HANDLERS: dict = {}


def _later(fn):
    def run():
        try:
            fn()
        except Exception:  # the index is rebuilt by `sangyo navigator reindex`
            import logging

            logging.getLogger(__name__).exception("navigator index update failed")

    transaction.on_commit(run)


def _on_save(kind, builder, related=None):
    def handler(sender, instance, raw=False, **kwargs):
        if raw:
            return
        pk = instance.pk

        def update():
            model = type(instance)
            qs = model.objects.filter(pk=pk)
            if related:
                qs = qs.select_related(*related)
            obj = qs.first()
            if obj is None:
                search.remove(kind, pk)
            else:
                search.replace(kind, pk, builder(obj))

        _later(update)

    return handler


def _on_delete(kind):
    def handler(sender, instance, **kwargs):
        pk = instance.pk
        _later(lambda: search.remove(kind, pk))

    return handler


def _detail_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    program_id = instance.program_id

    def update():
        from sangyo.strategy.models import Program

        program = Program.objects.select_related("measure__strategy").filter(pk=program_id).first()
        if program is not None:
            search.replace("program", program_id, search.program_docs(program))

    _later(update)


def after_strategy_load(*, strategy, actor=None, **kwargs):
    def update():
        from sangyo.strategy.models import Measure, Program

        for m in Measure.objects.filter(strategy=strategy).select_related("strategy"):
            search.replace("measure", m.pk, search.measure_docs(m))
        for p in Program.objects.filter(measure__strategy=strategy).select_related(
            "measure__strategy"
        ):
            search.replace("program", p.pk, search.program_docs(p))

    _later(update)


def connect() -> None:
    from sangyo.applications.models import CertifiedProduct, ProgramDetail
    from sangyo.consultations.models import Desk
    from sangyo.events.models import Event
    from sangyo.strategy.services import register_after_load

    from .models import OutsideProgram

    pairs = [
        (Event, "event", search.event_docs, None),
        (
            CertifiedProduct,
            "product",
            search.product_docs,
            ("application__business", "application__call__program__detail"),
        ),
        (OutsideProgram, "outside", search.outside_docs, None),
        (Desk, "desk", search.desk_docs, ("program__measure",)),
    ]
    for model, kind, builder, related in pairs:
        save = _on_save(kind, builder, related)
        delete = _on_delete(kind)
        _HANDLERS[kind] = (save, delete)
        post_save.connect(save, sender=model, dispatch_uid=f"navigator-index-{kind}-save")
        post_delete.connect(delete, sender=model, dispatch_uid=f"navigator-index-{kind}-delete")
    post_save.connect(_detail_saved, sender=ProgramDetail, dispatch_uid="navigator-index-detail")
    from .models import Synonym

    post_save.connect(search.forget_synonyms, sender=Synonym, dispatch_uid="navigator-syn-save")
    post_delete.connect(search.forget_synonyms, sender=Synonym, dispatch_uid="navigator-syn-del")
    register_after_load(after_strategy_load)
