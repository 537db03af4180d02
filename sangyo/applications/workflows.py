"""Application workflows as plain data (DESIGN.md §3): states with staff and applicant labels,
and a table of allowed transitions (from → to, who may, label). One `transition()` service
checks the table. Each application keeps the workflow code and version it started with, so
changing a workflow never strands applications already under way: add a new version.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class State:
    code: str
    staff_ja: str
    staff_en: str
    applicant_ja: str
    applicant_en: str
    open: bool = True  # withdrawable / still in progress
    final: bool = False


@dataclass(frozen=True)
class Transition:
    action: str
    source: tuple[str, ...]
    target: str
    who: frozenset[str]  # "applicant", "officer", "reviewer", "admin"
    label_ja: str
    label_en: str
    # Side effects the service performs (kept as names so the table stays data).
    effects: tuple[str, ...] = ()


@dataclass(frozen=True)
class Workflow:
    code: str
    version: int
    states: dict[str, State]
    transitions: tuple[Transition, ...]
    initial: str = "draft"
    extra: dict = field(default_factory=dict)

    def allowed(self, state: str, role: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.source and role in t.who]

    def find(self, state: str, action: str) -> Transition | None:
        return next((t for t in self.transitions if t.action == action and state in t.source), None)


APPLICANT = frozenset({"applicant"})
STAFF = frozenset({"officer", "admin"})

_COMMON_STATES = {
    "draft": State("draft", "下書き", "Draft", "下書き", "Draft"),
    "submitted": State("submitted", "申請受付", "Submitted", "申請済み", "Submitted"),
    "returned": State(
        "returned",
        "差戻し中",
        "Returned",
        "差戻し対応中（修正してください）",
        "Returned for changes",
    ),
    "resubmitted": State("resubmitted", "再申請受付", "Resubmitted", "再申請済み", "Resubmitted"),
    "under_review": State("under_review", "審査中", "Under review", "審査中", "Under review"),
    "rejected": State(
        "rejected", "不採択", "Rejected", "不採択", "Not adopted", open=False, final=True
    ),
    "withdrawn": State(
        "withdrawn", "取下げ", "Withdrawn", "取下げ済み", "Withdrawn", open=False, final=True
    ),
}

_INTAKE = (
    Transition(
        "submit",
        ("draft",),
        "submitted",
        APPLICANT,
        "申請する",
        "Submit",
        ("validate", "eligibility", "count_application", "notify"),
    ),
    Transition(
        "return",
        ("submitted", "resubmitted", "under_review"),
        "returned",
        STAFF,
        "差し戻す",
        "Return for changes",
        ("notify",),
    ),
    Transition(
        "resubmit",
        ("returned",),
        "resubmitted",
        APPLICANT,
        "再申請する",
        "Resubmit",
        ("validate", "eligibility"),
    ),
    Transition(
        "start_review",
        ("submitted", "resubmitted"),
        "under_review",
        STAFF,
        "審査を開始する",
        "Start review",
    ),
    Transition(
        "reject",
        ("under_review",),
        "rejected",
        STAFF,
        "不採択とする",
        "Reject",
        ("decision", "notify"),
    ),
)


def _withdraw(states):
    open_states = tuple(code for code, s in states.items() if s.open and code != "draft") + (
        "draft",
    )
    return Transition(
        "withdraw",
        open_states,
        "withdrawn",
        APPLICANT | STAFF,
        "取り下げる",
        "Withdraw",
        ("notify",),
    )


_SUBSIDY_STATES = _COMMON_STATES | {
    "adopted": State("adopted", "採択", "Adopted", "採択", "Adopted"),
    "grant_decided": State(
        "grant_decided", "交付決定", "Grant decided", "交付決定", "Grant decided"
    ),
    "reported": State(
        "reported", "実績報告受付", "Result reported", "実績報告済み", "Result reported"
    ),
    "amount_fixed": State("amount_fixed", "額の確定", "Amount fixed", "額の確定", "Amount fixed"),
    "paid": State("paid", "支払済み", "Paid", "支払済み", "Paid"),
    "closed": State("closed", "完了", "Closed", "完了", "Closed", open=False, final=True),
}

SUBSIDY_V1 = Workflow(
    code="subsidy",
    version=1,
    states=_SUBSIDY_STATES,
    transitions=_INTAKE
    + (
        Transition(
            "adopt",
            ("under_review",),
            "adopted",
            STAFF,
            "採択する",
            "Adopt",
            ("decision", "support_record", "notify"),
        ),
        Transition(
            "decide_grant",
            ("adopted",),
            "grant_decided",
            STAFF,
            "交付決定する",
            "Decide grant",
            ("commit_budget", "notify"),
        ),
        Transition(
            "report",
            ("grant_decided",),
            "reported",
            APPLICANT,
            "実績を報告する",
            "Report results",
            ("validate_report",),
        ),
        Transition(
            "return_report",
            ("reported",),
            "grant_decided",
            STAFF,
            "実績報告を差し戻す",
            "Return report",
            ("notify",),
        ),
        Transition(
            "fix_amount",
            ("reported",),
            "amount_fixed",
            STAFF,
            "額を確定する",
            "Fix amount",
            ("fix_amount", "notify"),
        ),
        Transition(
            "pay",
            ("amount_fixed",),
            "paid",
            STAFF,
            "支払う",
            "Record payment",
            ("payment", "notify"),
        ),
        Transition("close", ("paid",), "closed", STAFF, "完了とする", "Close"),
    )
    + (_withdraw(_SUBSIDY_STATES),),
)

_CERT_STATES = _COMMON_STATES | {
    "certified": State("certified", "認定", "Certified", "認定", "Certified", open=False),
    "expired": State(
        "expired", "認定期間満了", "Expired", "認定期間満了", "Expired", open=False, final=True
    ),
}

CERTIFICATION_V1 = Workflow(
    code="certification",
    version=1,
    states=_CERT_STATES,
    transitions=_INTAKE
    + (
        Transition(
            "certify",
            ("under_review",),
            "certified",
            STAFF,
            "認定する",
            "Certify",
            ("decision", "validity", "certified_product", "support_record", "notify"),
        ),
        Transition(
            "expire", ("certified",), "expired", STAFF, "認定期間満了とする", "Mark expired"
        ),
    )
    + (_withdraw(_CERT_STATES),),
)

_CERTIFICATE_STATES = _COMMON_STATES | {
    "issued": State("issued", "交付済み", "Issued", "交付済み", "Issued", open=False, final=True),
}

CERTIFICATE_V1 = Workflow(
    code="certificate",
    version=1,
    states=_CERTIFICATE_STATES,
    transitions=_INTAKE
    + (
        Transition(
            "issue",
            ("under_review",),
            "issued",
            STAFF,
            "交付する",
            "Issue",
            ("decision", "certificate_number", "support_record", "notify"),
        ),
    )
    + (_withdraw(_CERTIFICATE_STATES),),
)

WORKFLOWS: dict[tuple[str, int], Workflow] = {
    (w.code, w.version): w for w in (SUBSIDY_V1, CERTIFICATION_V1, CERTIFICATE_V1)
}
LATEST = {code: max(v for c, v in WORKFLOWS if c == code) for code, _v in WORKFLOWS}


def get_workflow(code: str, version: int | None = None) -> Workflow:
    return WORKFLOWS[(code, version or LATEST[code])]
