"""Forms of the registry's staff screens. They parse and check what people type; the
services decide and write. Dates are typed as 西暦 or 和暦 text (`parse_date`), and errors are
the Japanese sentences of the checks that found them."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from sangyo.core.codes import CodeError, validate_corporate_number
from sangyo.core.wareki import WarekiError, parse_date

from .jsic import JsicCodeError
from .models import Business, CorporateType, Membership
from .selectors import (
    DEFAULT_BROWSE_SORT,
    DEFAULT_SEARCH_SORT,
    REGISTERED_SORTS,
    SORTS,
    BusinessFilter,
)
from .services import RegistryError, jsic_table

STAGE_CHOICES = [
    ("", _("すべて")),
    ("pre_founding", _("創業予定者")),
    ("young", _("創業5年未満")),
    ("established", _("創業5年以上")),
    ("unknown", _("不明")),
]
IN_CITY_CHOICES = [("", _("すべて")), ("1", _("市内")), ("0", _("市外"))]
EXPORT_FORMATS = {
    "csv_utf8": _("CSV（UTF-8、BOM付き）"),
    "csv_cp932": _("CSV（Shift_JIS / CP932）"),
    "xlsx": _("Excel（.xlsx）"),
}
_TAG_SEPARATORS = re.compile(r"[,、，;；\n]+")


class DateTextField(forms.Field):
    """A date typed as 西暦 (2025-04-01, 2025年4月1日) or 和暦 (令和7年4月1日, R7.4.1)."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _("西暦または和暦で入力してください（例: 2025-04-01、令和7年4月1日、R7.4.1）"),
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": "40", "autocomplete": "off"}

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    def to_python(self, value):
        value = (value or "").strip() if isinstance(value, str) else value
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_date(value)
        except WarekiError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


def split_tags(text: str) -> list[str]:
    """「スタートアップ、輸出, DX推進」 → ['スタートアップ', '輸出', 'DX推進'] (order kept, no repeats)."""
    seen: list[str] = []
    for part in _TAG_SEPARATORS.split(text or ""):
        name = part.strip()[:50]
        if name and name not in seen:
            seen.append(name)
    return seen


_month_label = lazy(lambda m: gettext("%(m)s月") % {"m": m}, str)


# --- the list's filter ------------------------------------------------------------------------


class BusinessFilterForm(forms.Form):
    q = forms.CharField(
        label=_("名称・フリガナ"),
        required=False,
        max_length=100,
        help_text=_("一部分でも検索できます（全角・半角、ひらがな・カタカナを区別しません）"),
    )
    corporate_number = forms.CharField(
        label=_("法人番号（前方一致）"), required=False, max_length=20
    )
    district = forms.TypedChoiceField(label=_("地区"), required=False, coerce=int, empty_value=None)
    jsic_major = forms.ChoiceField(label=_("産業分類（大分類）"), required=False)
    jsic = forms.CharField(
        label=_("産業分類コード"),
        required=False,
        max_length=10,
        help_text=_("中分類（2桁）・小分類（3桁）・細分類（4桁）で絞り込めます（例: 09、391）"),
    )
    size = forms.ChoiceField(
        label=_("規模区分"), required=False, choices=[("", _("すべて")), *Business.Size.choices]
    )
    stage = forms.ChoiceField(label=_("創業段階"), required=False, choices=STAGE_CHOICES)
    tag = forms.ChoiceField(label=_("タグ"), required=False)
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *Business.Status.choices]
    )
    in_city = forms.ChoiceField(label=_("所在地"), required=False, choices=IN_CITY_CHOICES)
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in (*SORTS, *REGISTERED_SORTS)])

    def __init__(self, *args, districts=(), tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("すべて"))] + [
            (d.pk, d.name_ja) for d in districts
        ]
        self.fields["tag"].choices = [("", _("すべて"))] + [(t, t) for t in tags]
        self.fields["jsic_major"].choices = [("", _("すべて"))] + [
            (e.code, e.label((get_language() or "ja")[:2])) for e in jsic_table().majors()
        ]

    def clean_jsic(self):
        code = self.cleaned_data["jsic"].strip()
        if not code:
            return ""
        try:
            return jsic_table().validate_code(code)
        except JsicCodeError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_corporate_number(self):
        value = self.cleaned_data["corporate_number"]
        digits = re.sub(r"[\s\-‐‑‒–—―−ー]", "", value)
        if (
            digits
            and not digits.translate(str.maketrans("０１２３４５６７８９", "0123456789")).isdigit()
        ):
            raise forms.ValidationError(_("法人番号は数字で入力してください"))
        return value.strip()

    def to_filter(self) -> BusinessFilter:
        """The filter for `search_businesses`; fields with errors are ignored."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        jsic = data.get("jsic") or ""
        major = data.get("jsic_major") or ""
        if jsic and not jsic.isdigit():  # a 大分類 letter typed in the code box
            major, jsic = jsic, ""
        filters = {
            "q": data.get("q", ""),
            "corporate_number": data.get("corporate_number", ""),
            "district": data.get("district"),
            "jsic": jsic,
            "size": data.get("size", ""),
            "stage": data.get("stage", ""),
            "tag": data.get("tag", ""),
            "status": data.get("status", ""),
            "in_city": data.get("in_city", ""),
        }
        searching = major or any(v not in ("", None) for v in filters.values())
        sort = data.get("sort") or (DEFAULT_SEARCH_SORT if searching else DEFAULT_BROWSE_SORT)
        return BusinessFilter(
            **filters,
            sort=sort,
            extra={"jsic_major": major} if major and not jsic else {},
        )


# --- a business -------------------------------------------------------------------------------

# Which form field a service error belongs to, by the words its message starts with or names.
_ERROR_FIELDS = (
    ("法人番号", "corporate_number"),
    ("郵便番号", "postal_code"),
    ("地方公共団体コード", "city_code"),
    ("産業分類", "jsic_code"),
    ("中分類", "jsic_code"),
    ("大分類", "jsic_code"),
    ("小分類", "jsic_code"),
    ("細分類", "jsic_code"),
    ("閉鎖日", "close_date"),
    ("ウェブサイト", "company_url"),
    ("決算月", "fiscal_year_end_month"),
)


def add_service_error(form: forms.Form, exc: RegistryError) -> None:
    """Show a service's refusal on the field it concerns (or above the form)."""
    message = str(exc)
    for word, field in _ERROR_FIELDS:
        if word in message and field in form.fields:
            form.add_error(field, message)
            return
    form.add_error(None, message)


class BusinessForm(forms.Form):
    corporate_number = forms.CharField(
        label=_("法人番号"),
        required=False,
        max_length=20,
        help_text=_("13桁。個人事業主・創業予定者は空欄にします"),
    )
    name = forms.CharField(label=_("名称"), max_length=300)
    kana = forms.CharField(
        label=_("フリガナ"), required=False, max_length=300, help_text=_("カタカナで入力します")
    )
    name_en = forms.CharField(label=_("英語名称"), required=False, max_length=300)
    corporate_type = forms.ChoiceField(label=_("法人種別"), choices=CorporateType.choices)
    representative_name = forms.CharField(label=_("代表者名"), required=False, max_length=100)
    representative_position = forms.CharField(label=_("代表者役職"), required=False, max_length=100)
    postal_code = forms.CharField(
        label=_("郵便番号"), required=False, max_length=10, help_text=_("例: 305-8555")
    )
    location = forms.CharField(label=_("所在地"), required=False, max_length=300)
    city_code = forms.CharField(
        label=_("所在市区町村コード"),
        required=False,
        max_length=10,
        help_text=_(
            "全国地方公共団体コード（6桁）。市外の事業者はその市区町村のコードを入力します"
        ),
    )
    in_city = forms.BooleanField(
        label=_("市内の事業者"),
        required=False,
        initial=True,
        help_text=_("市区町村コードを入力した場合はコードから自動で判定します"),
    )
    district = forms.TypedChoiceField(
        label=_("地区"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("所在地の町名から自動で判定します。判定できない場合だけ選んでください"),
    )
    jsic_code = forms.CharField(
        label=_("産業分類コード"),
        required=False,
        max_length=10,
        help_text=_(
            "日本標準産業分類（第14回改定）の大分類（英字）・中分類（2桁）・小分類（3桁）・細分類（4桁）"
        ),
    )
    capital_stock = forms.IntegerField(label=_("資本金（円）"), required=False, min_value=0)
    employee_number = forms.IntegerField(
        label=_("常時使用する従業員数"),
        required=False,
        min_value=0,
        help_text=_("役員・事業主は含めません"),
    )
    date_of_establishment = DateTextField(label=_("設立・創業日"), required=False)
    fiscal_year_end_month = forms.TypedChoiceField(
        label=_("決算月"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + [(m, _month_label(m)) for m in range(1, 13)],
    )
    company_url = forms.URLField(label=_("ウェブサイト"), required=False, assume_scheme="https")
    status = forms.ChoiceField(label=_("状態"), choices=Business.Status.choices)
    close_date = DateTextField(label=_("閉鎖日"), required=False)
    close_cause = forms.CharField(label=_("閉鎖事由"), required=False, max_length=100)
    tags = forms.CharField(
        label=_("タグ"),
        required=False,
        max_length=500,
        help_text=_("読点（、）またはカンマで区切ります（例: スタートアップ、輸出）"),
    )
    notes = forms.CharField(label=_("メモ"), required=False, widget=forms.Textarea)

    FIELDS = [
        "corporate_number",
        "name",
        "kana",
        "name_en",
        "corporate_type",
        "representative_name",
        "representative_position",
        "postal_code",
        "location",
        "city_code",
        "in_city",
        "district",
        "jsic_code",
        "capital_stock",
        "employee_number",
        "date_of_establishment",
        "fiscal_year_end_month",
        "company_url",
        "status",
        "close_date",
        "close_cause",
        "notes",
    ]

    def __init__(self, *args, districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", "—")] + [(d.pk, d.name_ja) for d in districts]
        self._districts = {d.pk: d for d in districts}

    @classmethod
    def initial_for(cls, business: Business) -> dict:
        data = {f: getattr(business, f) for f in cls.FIELDS if f != "district"}
        data["district"] = business.district_id
        data["corporate_number"] = business.corporate_number or ""
        data["tags"] = "、".join(t.name for t in business.tags.all())
        return data

    def clean_corporate_number(self):
        value = self.cleaned_data["corporate_number"].strip()
        if not value:
            return None
        try:
            return validate_corporate_number(value)
        except CodeError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_jsic_code(self):
        value = self.cleaned_data["jsic_code"].strip()
        if not value:
            return ""
        try:
            return jsic_table().validate_code(value)
        except JsicCodeError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_tags(self):
        return split_tags(self.cleaned_data["tags"])

    def clean(self):
        data = super().clean()
        if (
            data.get("status") == Business.Status.CLOSED
            and not data.get("close_date")
            and "close_date" not in self.errors
        ):
            self.add_error("close_date", _("閉鎖・廃業の場合は閉鎖日を入力してください"))
        if data.get("corporate_type") in (
            CorporateType.SOLE,
            CorporateType.PRE_FOUNDING,
        ) and data.get("corporate_number"):
            self.add_error("corporate_number", _("個人事業主・創業予定者には法人番号はありません"))
        return data

    def service_kwargs(self) -> dict:
        """Keyword arguments for business_create / business_update."""
        data = self.cleaned_data
        kwargs = {f: data.get(f) for f in self.FIELDS if f != "district"}
        kwargs["district"] = self._districts.get(data.get("district"))
        for text in ("kana", "name_en", "representative_name", "representative_position",
                     "postal_code", "location", "city_code", "jsic_code", "company_url",
                     "close_cause", "notes"):  # fmt: skip
            kwargs[text] = kwargs[text] or ""
        kwargs["tags"] = data.get("tags") or []
        return kwargs


# --- contacts ---------------------------------------------------------------------------------


class ContactForm(forms.Form):
    name = forms.CharField(label=_("氏名"), max_length=100)
    kana = forms.CharField(label=_("フリガナ"), required=False, max_length=100)
    role = forms.CharField(label=_("役職・立場"), required=False, max_length=100)
    email = forms.EmailField(label=_("メールアドレス"), required=False)
    phone = forms.CharField(label=_("電話番号"), required=False, max_length=30)
    consent_at = DateTextField(
        label=_("連絡の同意日"),
        required=False,
        help_text=_("市から連絡することに同意を得た日。西暦または和暦で入力します"),
    )
    consent_scope = forms.CharField(
        label=_("同意の範囲"),
        required=False,
        max_length=200,
        help_text=_("例: 市からの支援情報の案内"),
    )

    FIELDS = ["name", "kana", "role", "email", "phone", "consent_at", "consent_scope"]

    def clean(self):
        data = super().clean()
        if (
            data.get("consent_scope")
            and not data.get("consent_at")
            and "consent_at" not in self.errors
        ):
            self.add_error("consent_at", _("同意の範囲を入力した場合は同意日も入力してください"))
        return data

    def service_kwargs(self) -> dict:
        return {
            f: self.cleaned_data.get(f) or (None if f == "consent_at" else "") for f in self.FIELDS
        }


class AnonymizeForm(forms.Form):
    reason = forms.CharField(
        label=_("匿名化の理由"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例: 本人から削除の申出（2026年11月28日、電話）"),
    )


# --- members and proxies ----------------------------------------------------------------------


def _business_user(email: str):
    from sangyo.accounts.models import Role, User

    return User.objects.filter(
        email__iexact=email.strip(), role=Role.BUSINESS, is_active=True
    ).first()


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label=_("利用者のメールアドレス"),
        help_text=_("事業者として登録済みの利用者のメールアドレス"),
    )
    role = forms.ChoiceField(label=_("立場"), choices=Membership.Role.choices)

    def clean_email(self):
        user = _business_user(self.cleaned_data["email"])
        if user is None:
            raise forms.ValidationError(_("このメールアドレスの事業者アカウントは見つかりません"))
        self.user = user
        return self.cleaned_data["email"]


class DelegationForm(forms.Form):
    email = forms.EmailField(
        label=_("代理人のメールアドレス"),
        help_text=_("代理人（例: 中小企業診断士）の事業者アカウントのメールアドレス"),
    )
    valid_until = DateTextField(label=_("有効期限"))
    scope = forms.CharField(
        label=_("委任の範囲"),
        required=False,
        max_length=200,
        help_text=_("例: 補助金の申請手続き"),
    )

    def __init__(self, *args, granter=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.granter = granter

    def clean_email(self):
        user = _business_user(self.cleaned_data["email"])
        if user is None:
            raise forms.ValidationError(_("このメールアドレスの事業者アカウントは見つかりません"))
        if self.granter is not None and user.pk == self.granter.pk:
            raise forms.ValidationError(_("自分自身には委任できません"))
        self.proxy = user
        return self.cleaned_data["email"]


def business_lookup(text: str, *, limit: int = 8) -> tuple[Business | None, list[Business]]:
    """Find one business from what staff typed: its 事業者番号 (台帳の番号), its 13-digit
    法人番号, or its name (exact, else the only partial match). Returns (the business, the
    candidates); when several match, the business is None and the candidates say which."""
    from sangyo.core.text import normalize_for_match

    raw = (text or "").strip()
    if not raw:
        return None, []
    digits = normalize_for_match(raw).replace("-", "")
    # isascii too: some digits (፩, 𐩀) survive NFKC and pass isdigit(), but int() refuses them.
    digits = digits if digits.isascii() else ""
    if digits.isdigit() and len(digits) == 13:
        found = Business.objects.filter(corporate_number=digits).first()
        return found, [found] if found else []
    if digits.isdigit() and len(digits) < 13:
        found = Business.objects.filter(pk=int(digits)).first()
        return found, [found] if found else []
    key = normalize_for_match(raw)
    exact = list(Business.objects.filter(search_name=key).order_by("id")[: limit + 1])
    if len(exact) == 1:
        return exact[0], exact
    if exact:
        return None, exact[:limit]
    partial = list(
        Business.objects.filter(search_name__contains=key).order_by("search_kana", "id")[
            : limit + 1
        ]
    )
    if len(partial) == 1:
        return partial[0], partial
    return None, partial[:limit]


class BusinessLookupField(forms.CharField):
    """A business typed as 事業者番号, 法人番号 or name; cleans to the Business, and when the
    text is ambiguous says which businesses it could be (with their numbers to type)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("事業者"))
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault(
            "help_text", _("事業者番号、法人番号（13桁）または事業者名で指定してください")
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        found, candidates = business_lookup(value)
        if found is not None:
            return found
        if not candidates:
            raise forms.ValidationError(
                gettext("「%(text)s」に当たる事業者は台帳にありません") % {"text": value},
                code="not_found",
            )
        listed = "、".join(f"{b.name}（{b.pk}）" for b in candidates)
        raise forms.ValidationError(
            gettext("「%(text)s」に当たる事業者が複数あります。番号で指定してください: %(list)s")
            % {"text": value, "list": listed},
            code="ambiguous",
        )
