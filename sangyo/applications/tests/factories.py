"""Test factories for applications. Other apps' tests import these, so the signatures stay
stable:

- `program_detail(program, **overrides)` → the program's ProgramDetail (created or updated)
- `form_version(fields=None, **overrides)` → a new FormVersion
- `open_call(program, budget_yen=…, **overrides)` → an open Call (adds a default detail if
  the program has none)
- `applicant(make_user, business)` → a business-role user, representative of `business`
- `application(call, business, user, status="draft", costs=…, answers=…)` → an Application
  brought to `status` by walking the real workflow transitions through the services (the
  applicant's steps as `user`, the staff steps as an officer)
- `officer()` → the factories' officer user

Everything is synthetic (合成データ).
"""

from __future__ import annotations

import copy
import datetime
import itertools
from collections import deque

from django.utils import timezone

from sangyo.applications import services
from sangyo.applications.models import Application, Call, FormVersion, ProgramDetail
from sangyo.applications.workflows import get_workflow
from sangyo.core.fiscal import fiscal_year

_seq = itertools.count(1)

OFFICER_EMAIL = "factory-officer@example.test"

DEFAULT_FIELDS: list[dict] = [
    {
        "name": "summary",
        "type": "textarea",
        "label": {"ja": "事業計画の概要", "en": "Outline of the business plan"},
        "help": {"ja": "合成データのフォームです", "en": "A synthetic form"},
        "required": True,
    },
    {
        "name": "has_partner",
        "type": "choice",
        "label": {"ja": "連携先の有無", "en": "Do you work with a partner?"},
        "required": True,
        "choices": [
            {"value": "yes", "ja": "あり", "en": "Yes"},
            {"value": "no", "ja": "なし", "en": "No"},
        ],
    },
    {
        "name": "partner_name",
        "type": "text",
        "label": {"ja": "連携先の名称", "en": "Partner's name"},
        "required": True,
        "show_when": {"field": "has_partner", "equals": "yes"},
    },
    {
        "name": "no_unpaid_tax",
        "type": "bool",
        "label": {
            "ja": "市税の滞納がないことを申告します",
            "en": "I declare that no city tax is unpaid",
        },
        "required": True,
    },
]

DEFAULT_COST_TYPES = [
    {"code": "equipment", "ja": "設備費", "en": "Equipment", "max_yen": None},
    {"code": "other", "ja": "その他の経費", "en": "Other costs", "max_yen": None},
]

_KIND_FOR_WORKFLOW = {
    "subsidy": ProgramDetail.Kind.SUBSIDY,
    "certification": ProgramDetail.Kind.CERTIFICATION,
    "certificate": ProgramDetail.Kind.CERTIFICATE,
}


def program_detail(program, **overrides) -> ProgramDetail:
    """The program's detail with test defaults (subsidy, 1/2, cap 500,000円, 1,000円 unit,
    no eligibility rules); keyword arguments override fields. Updates an existing detail."""
    n = next(_seq)
    workflow = overrides.get("workflow", "subsidy")
    defaults = {
        "kind": _KIND_FOR_WORKFLOW.get(workflow, ProgramDetail.Kind.OTHER),
        "title_ja": f"合成データ制度{n}",
        "title_en": f"Synthetic program {n}",
        "description_ja": "テスト用の合成データです",
        "eligibility": [],
        "workflow": workflow,
        "rate_numerator": 1,
        "rate_denominator": 2,
        "rate_text": "1/2",
        "rate_confirmed": True,
        "cap_yen": 500_000,
        "rounding_unit": 1_000,
        "eligible_cost_types": copy.deepcopy(DEFAULT_COST_TYPES),
        "validity_years": 3 if workflow == "certification" else None,
        "target_area": "つくば市",
        "institution": "つくば市経済部産業振興課",
    }
    detail, _created = ProgramDetail.objects.update_or_create(
        program=program, defaults=defaults | overrides
    )
    return detail


def form_version(fields: list[dict] | None = None, **overrides) -> FormVersion:
    n = next(_seq)
    values = {
        "code": f"synthetic-form-{n}",
        "version": 1,
        "fields": copy.deepcopy(DEFAULT_FIELDS if fields is None else fields),
    }
    return FormVersion.objects.create(**(values | overrides))


def open_call(program, budget_yen: int | None = 10_000_000, **overrides) -> Call:
    """An open call receiving applications now (opened yesterday, closes in 30 days)."""
    if not ProgramDetail.objects.filter(program=program).exists():
        program_detail(program)
    now = timezone.now()
    n = next(_seq)
    values = {
        "program": program,
        "title_ja": f"合成データ募集{n}",
        "title_en": f"Synthetic call {n}",
        "fiscal_year": fiscal_year(now),
        "opens_at": now - datetime.timedelta(days=1),
        "closes_at": now + datetime.timedelta(days=30),
        "status": Call.Status.OPEN,
        "budget_yen": budget_yen,
        "is_synthetic": True,
    }
    values |= overrides
    if "form" not in values:
        values["form"] = form_version()
    return Call.objects.create(**values)


def applicant(make_user, business, email: str | None = None):
    """A business-role user who is the representative member of `business`."""
    from sangyo.registry.services import membership_add

    user = make_user("business", email=email or f"applicant{next(_seq)}@example.test")
    membership_add(user=user, business=business, role="representative", actor="test")
    return user


def officer():
    from sangyo.accounts.models import User

    user = User.objects.filter(email=OFFICER_EMAIL).first()
    return user or User.objects.create_user(
        email=OFFICER_EMAIL, password="correct horse battery", role="officer"
    )


def answers_for(form: FormVersion) -> dict:
    """Answers filling every required field that is shown (choices take the first value)."""
    answers: dict = {}
    for field in form.fields:
        cond = field.get("show_when")
        if cond and answers.get(cond.get("field")) != cond.get("equals"):
            continue
        if not field.get("required"):
            continue
        kind = field.get("type")
        if kind == "bool":
            value = True
        elif kind in ("number", "money"):
            value = 1
        elif kind == "date":
            value = timezone.localdate().isoformat()
        elif kind == "choice":
            value = field["choices"][0]["value"]
        elif kind == "multi":
            value = [field["choices"][0]["value"]]
        else:
            value = f"合成データの回答（{field['name']}）"
        answers[field["name"]] = value
    return answers


def default_costs(detail: ProgramDetail) -> list[dict]:
    types = detail.eligible_cost_types or [{"code": "other"}]
    return [{"type": types[0]["code"], "description": "合成データの経費", "amount": 100_000}]


def path_to(workflow_code: str, status: str, version: int | None = None) -> list:
    """The shortest chain of transitions from the initial state to `status`."""
    wf = get_workflow(workflow_code, version)
    start = wf.initial
    seen = {start: []}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        if state == status:
            return seen[state]
        for t in wf.transitions:
            if state in t.source and t.target not in seen:
                seen[t.target] = seen[state] + [t]
                queue.append(t.target)
    raise ValueError(f"{status!r} cannot be reached in workflow {workflow_code!r}")


def application(
    call: Call,
    business,
    user,
    status: str = "draft",
    costs: list[dict] | None = None,
    answers: dict | None = None,
    *,
    language: str = "ja",
    decided_yen: int | None = None,
    staff=None,
) -> Application:
    """An application by `user` for `business`, brought to `status` through the services."""
    app = services.application_start(call=call, business=business, actor=user, language=language)
    detail = services.program_detail(call.program)
    app = services.application_save(
        application=app,
        actor=user,
        answers=answers_for(call.form) if answers is None else answers,
        costs=default_costs(detail) if costs is None else costs,
    )
    staff = staff or officer()
    for t in path_to(app.workflow, status, app.workflow_version):
        actor = user if "applicant" in t.who else staff
        kwargs = {}
        if t.action == "decide_grant":
            amount = decided_yen if decided_yen is not None else app.requested_yen
            if amount is None:
                amount = sum(int(c.get("amount") or 0) for c in app.costs)
            kwargs["decided_yen"] = amount
        elif t.action == "report":
            kwargs["report"] = {"summary": "合成データの実績報告"}
        app = services.application_transition(
            application=app, action=t.action, actor=actor, note="合成データ", **kwargs
        )
    return app


def load_programs(actor="test") -> dict[str, ProgramDetail]:
    """Load the real Tsukuba programs file (needs the `tsukuba` strategy loaded); returns the
    program details by program code."""
    from sangyo.applications.config import DEFAULT_FILE, parse_programs_file, programs_load

    result = programs_load(parsed=parse_programs_file(DEFAULT_FILE), actor=actor)
    return {
        d.program.code: d
        for d in ProgramDetail.objects.filter(
            program__measure__strategy=result.strategy
        ).select_related("program")
    }


def config_call(detail: ProgramDetail, budget_yen: int | None = 10_000_000, **overrides) -> Call:
    """An open call for a configured program, using the form loaded for its kind."""
    from sangyo.applications.config import default_form

    overrides.setdefault("form", default_form(detail))
    return open_call(detail.program, budget_yen=budget_yen, **overrides)
