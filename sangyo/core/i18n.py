"""Bilingual content: models store `<field>_ja` and `<field>_en`; pages show the one that
matches the active language, falling back to Japanese (the official text)."""

from django.utils.translation import get_language


def pick(obj, field: str) -> str:
    lang = (get_language() or "ja")[:2]
    if lang != "ja":
        value = getattr(obj, f"{field}_{lang}", "")
        if value:
            return value
    return getattr(obj, f"{field}_ja", "")


def pick_text(text: dict | None) -> str:
    """The same rule for `{"ja": ..., "en": ...}` dictionaries kept in JSON fields."""
    if not text:
        return ""
    lang = (get_language() or "ja")[:2]
    return text.get(lang) or text.get("ja", "")


class Bilingual:
    """Mixin for models with `_ja`/`_en` field pairs: `obj.t("name")`."""

    def t(self, field: str) -> str:
        return pick(self, field)
