"""Forms: the public questionnaire (a plain GET form, so the result URL reproduces the
answers) and the staff forms (a need's mapping, a synonym group, an import file)."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sangyo.core.uploads import validate_upload

from .engine import STAGE_TEXT
from .models import Need


def _lang() -> str:
    return "en" if (get_language() or "ja").startswith("en") else "ja"


# JSIC 大分類 in plain words (the official names are long and formal).
PLAIN_INDUSTRY = {
    "A": ("農業・林業", "Farming and forestry"),
    "B": ("漁業", "Fishing"),
    "C": ("鉱業・採石業", "Mining and quarrying"),
    "D": ("建設業（工事・リフォームなど）", "Construction"),
    "E": ("製造業（ものづくり・食品加工など）", "Manufacturing (including food processing)"),
    "F": ("電気・ガス・水道", "Electricity, gas and water"),
    "G": ("情報通信（ソフトウェア・ウェブなど）", "IT, software and media"),
    "H": ("運輸・物流", "Transport and logistics"),
    "I": ("卸売・小売（お店・通販など）", "Wholesale and retail (shops, online shops)"),
    "J": ("金融・保険", "Finance and insurance"),
    "K": ("不動産・レンタル", "Real estate and rental"),
    "L": ("研究・専門サービス（設計・士業など）", "Research and professional services"),
    "M": ("宿泊・飲食（ホテル・飲食店など）", "Hotels, restaurants and cafés"),
    "N": ("生活関連サービス・娯楽（美容・旅行など）", "Personal services and leisure"),
    "O": ("教育・学習支援（教室・塾など）", "Education and learning support"),
    "P": ("医療・福祉・介護", "Health care and welfare"),
    "Q": ("協同組合など", "Cooperatives and similar"),
    "R": ("その他のサービス業", "Other services"),
}


def industry_choices():
    from sangyo.registry.services import jsic_table

    lang = _lang()
    out = [("", _("選択しない"))]
    for major in jsic_table().majors():
        if major.code in ("S", "T"):
            continue
        plain = PLAIN_INDUSTRY.get(major.code)
        label = (plain[1] if lang == "en" else plain[0]) if plain else major.label(lang)
        out.append((major.code, label))
    return out


class QuestionnaireForm(forms.Form):
    stage = forms.ChoiceField(label=_("事業の段階"), required=False, widget=forms.RadioSelect)
    industry = forms.ChoiceField(label=_("業種"), required=False)
    employees = forms.IntegerField(
        label=_("従業員数（常時使用する従業員、任意）"),
        required=False,
        min_value=0,
        max_value=10_000_000,
        help_text=_("役員・事業主本人は数えません。分からなければ空欄のままで構いません。"),
    )
    capital = forms.IntegerField(
        label=_("資本金（円、任意）"),
        required=False,
        min_value=0,
        max_value=10**15,
        help_text=_("個人事業主・創業前の方は空欄のままで構いません。"),
    )
    in_city = forms.ChoiceField(
        label=_("事業所（予定地）はつくば市内ですか"), required=False, widget=forms.RadioSelect
    )
    challenge = forms.MultipleChoiceField(
        label=_("困っていること・やりたいこと（複数選択可）"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, needs: list[Need], **kwargs):
        super().__init__(*args, **kwargs)
        lang = _lang()
        self.fields["stage"].choices = [
            (code, texts[1] if lang == "en" else texts[0]) for code, texts in STAGE_TEXT.items()
        ]
        self.fields["industry"].choices = industry_choices()
        self.fields["in_city"].choices = [
            ("yes", _("市内")),
            ("no", _("市外")),
        ]
        self.fields["challenge"].choices = [
            (n.code, (n.label_en or n.label_ja) if lang == "en" else n.label_ja)
            for n in needs
            if n.kind == Need.Kind.CHALLENGE
        ]


class NeedForm(forms.ModelForm):
    measures_text = forms.CharField(
        label=_("対応する施策番号（カンマ区切り）"),
        required=False,
        help_text=_("例: 05,06。空欄にすると施策には結び付けません。"),
    )

    class Meta:
        model = Need
        fields = ["label_ja", "label_en", "use_purpose", "why_ja", "why_en", "order", "is_active"]

    def __init__(self, *args, valid_numbers: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.valid_numbers = valid_numbers
        if self.instance and self.instance.pk:
            self.fields["measures_text"].initial = ",".join(self.instance.measures or [])

    def clean_use_purpose(self):
        from .services import JGRANTS_PURPOSES

        value = self.cleaned_data.get("use_purpose", "").strip()
        if value and value not in JGRANTS_PURPOSES:
            raise forms.ValidationError(_("jGrantsの利用目的のいずれかを入力してください"))
        return value

    def clean_measures_text(self):
        raw = self.cleaned_data.get("measures_text", "").replace("、", ",")
        numbers = [p.strip().zfill(2) for p in raw.split(",") if p.strip()]
        unknown = [n for n in numbers if n not in self.valid_numbers]
        if unknown:
            raise forms.ValidationError(
                _("現行の戦略にない施策番号です: %(numbers)s") % {"numbers": ", ".join(unknown)}
            )
        return numbers


class SynonymForm(forms.Form):
    terms = forms.CharField(
        label=_("同義語（カンマ区切り）"), max_length=300, help_text=_("例: 起業,創業")
    )
    note = forms.CharField(label=_("メモ"), max_length=200, required=False)

    def clean_terms(self):
        value = self.cleaned_data["terms"]
        parts = [t.strip() for t in value.replace("、", ",").split(",") if t.strip()]
        if len(parts) < 2:
            raise forms.ValidationError(_("2つ以上の語をカンマで区切って入力してください"))
        return ",".join(parts)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("jGrants形式のJSONファイル"),
        help_text=_("jGrants公開APIの形（result の配列）。全件を確認してから取り込みます。"),
    )
    source = forms.ChoiceField(
        label=_("出典"),
        choices=[("jgrants", "jGrants"), ("ibaraki", _("茨城県")), ("other", _("その他"))],
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload, kind="navigator_import", extensions=(".json",))
        return upload
