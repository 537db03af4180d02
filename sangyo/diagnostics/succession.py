"""事業承継 readiness check: a few answers → a readiness level in words and ONE next step.

Pure and rule-driven: `STEPS` is the order in which a succession is usually prepared; the
first step not yet done is the next step. No score is computed — the level is the count of
steps done, put in words. The owner's age only sets how urgent the next step is.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

# Questions asked: (key, question).
QUESTIONS: tuple[tuple[str, object], ...] = (
    ("has_candidates", gettext_lazy("後継者の候補（親族・従業員・社外）がいますか")),
    ("successor_decided", gettext_lazy("後継者は決まっていますか（本人の了承を含む）")),
    ("plan_written", gettext_lazy("事業承継計画を書面にしていますか")),
    ("shares_arranged", gettext_lazy("株式・事業用資産の引継ぎ方法を決めていますか")),
    ("stakeholders_told", gettext_lazy("従業員・取引金融機関に承継の方針を伝えていますか")),
)
QUESTION_KEYS = tuple(key for key, _q in QUESTIONS)


@dataclass(frozen=True)
class Step:
    done_when: tuple[str, ...]  # every answer here is "yes"
    next_step: object  # what to do when this step is not yet done
    referral: object  # who can help


# The usual order of preparation; the first step not done is the next step.
STEPS: tuple[Step, ...] = (
    Step(
        ("has_candidates", "successor_decided"),
        gettext_lazy(
            "後継者の候補がいません。事業承継・引継ぎ支援センターに相談し、"
            "後継者人材バンクや第三者への引継ぎ（M&A）も含めて選択肢を確認しましょう。"
        ),
        gettext_lazy("事業承継・引継ぎ支援センター（後継者人材バンク）"),
    ),
    Step(
        ("successor_decided",),
        gettext_lazy(
            "候補者と承継の意思・時期を話し合い、後継者を決めましょう。"
            "話し合いの進め方は事業承継・引継ぎ支援センターや商工会に相談できます。"
        ),
        gettext_lazy("事業承継・引継ぎ支援センター、商工会"),
    ),
    Step(
        ("plan_written",),
        gettext_lazy(
            "後継者と一緒に、いつ・何を・どう引き継ぐかを事業承継計画として書面にしましょう。"
        ),
        gettext_lazy("事業承継・引継ぎ支援センター、商工会、中小企業診断士"),
    ),
    Step(
        ("shares_arranged",),
        gettext_lazy(
            "株式・事業用資産の引継ぎ方法（贈与・相続・譲渡、事業承継税制の利用）を"
            "税理士等の専門家と検討しましょう。"
        ),
        gettext_lazy("税理士、事業承継・引継ぎ支援センター"),
    ),
    Step(
        ("stakeholders_told",),
        gettext_lazy(
            "従業員と取引金融機関に承継の方針を伝え、経営者保証の扱いを金融機関と相談しましょう。"
        ),
        gettext_lazy("取引金融機関"),
    ),
)

# Steps done → level in words.
LEVELS: tuple[object, ...] = (
    gettext_lazy("未着手（後継者が決まっていません）"),
    gettext_lazy("初期段階（後継者は決まり、計画づくりはこれから）"),
    gettext_lazy("準備中（計画はあり、資産の引継ぎ方法はこれから）"),
    gettext_lazy("仕上げ段階（関係者への説明が残っています）"),
    gettext_lazy("準備が整っています"),
)
DONE_STEP = gettext_lazy("計画に沿って承継を進め、年に1回は計画を見直しましょう。")

# Owner's age from which a not-yet-ready succession is urgent, checked from the top.
URGENCY: tuple[tuple[int, object], ...] = (
    (70, gettext_lazy("経営者が70歳以上です。早急に取り組みましょう。")),
    (
        60,
        gettext_lazy(
            "経営者が60歳以上です。承継の準備には5〜10年かかると言われます。早めに取り組みましょう。"
        ),
    ),
)


@dataclass(frozen=True)
class Readiness:
    level: str
    steps_done: int
    next_step: str
    referral: str
    urgency: str
    missing_age: bool


def _yes(answers, key) -> bool:
    return answers.get(key) is True


def assess(answers: dict) -> Readiness:
    """Never raises: unknown answers count as "no", an unreadable age as unknown."""
    answers = answers if isinstance(answers, dict) else {}
    # has_candidates is implied by a decided successor.
    facts = {key: _yes(answers, key) for key in QUESTION_KEYS}
    if facts["successor_decided"]:
        facts["has_candidates"] = True

    pending = None
    done = 0
    for index, step in enumerate(STEPS):
        if index == 0:
            # The first step is "a candidate exists": done when candidates or a successor.
            if not facts["has_candidates"]:
                pending = step
                break
            continue
        if all(facts[key] for key in step.done_when):
            done += 1
            continue
        pending = step
        break

    age = answers.get("owner_age")
    if isinstance(age, bool) or not isinstance(age, int):
        age = None
    urgency = ""
    if pending is not None and age is not None:
        urgency = next((str(text) for limit, text in URGENCY if age >= limit), "")
    return Readiness(
        level=str(LEVELS[done]),
        steps_done=done,
        next_step=str(pending.next_step if pending else DONE_STEP),
        referral=str(pending.referral if pending else ""),
        urgency=urgency,
        missing_age=age is None,
    )
