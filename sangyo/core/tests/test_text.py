import pytest
from hypothesis import given
from hypothesis import strategies as st

from sangyo.core.text import normalize_for_match, normalize_kana


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ｶﾌﾞｼｷｶﾞｲｼｬ", "かぶしきがいしゃ"),  # half-width katakana vs hiragana
        ("カブシキガイシャ", "かぶしきがいしゃ"),
        ("ＡＢＣ商事", "abc商事"),
        ("Sangyo", "SANGYO"),
        ("サーバー", "サーバ－"),  # full-width minus typed for the long-vowel mark
        ("サーバー", "ｻｰﾊﾞｰ"),
        ("コンピュータ―", "コンピューター"),  # horizontal bar U+2015
        ("ＴＸ―１", "tx-1"),
        ("03ー1234ー5678", "03-1234-5678"),  # IME long-vowel mark between digits
        ("つくば　市", "つくば 市"),
        ("  つくば   市 ", "つくば 市"),
        ("つく\u200bば", "つくば"),  # zero-width space from a copied PDF
        ("㈱つくば", "(株)つくば"),
        ("ヴァイオリン", "ゔぁいおりん"),
    ],
)
def test_same_for_matching(a, b):
    assert normalize_for_match(a) == normalize_for_match(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("つくば", "つくぱ"),  # voicing marks matter
        ("ハッピー", "ハッピ"),  # the long vowel is kept, only unified
        ("東京", "京東"),
        ("a-b", "ab"),
    ],
)
def test_different_for_matching(a, b):
    assert normalize_for_match(a) != normalize_for_match(b)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("ｶﾌﾞｼｷｶﾞｲｼｬ　ＡＢＣ", "かぶしきがいしゃ abc"),
        ("サーバ－", "さーばー"),
        ("ＴＸ―１", "tx-1"),
        ("", ""),
    ],
)
def test_normalize_for_match_output(text, key):
    assert normalize_for_match(text) == key


@pytest.mark.parametrize(
    ("text", "kana"),
    [
        ("やまだ たろう", "ヤマダ\u3000タロウ"),
        ("ﾔﾏﾀﾞ  ﾀﾛｳ", "ヤマダ\u3000タロウ"),
        ("ヤマダ　タロウ", "ヤマダ\u3000タロウ"),
        ("こくぜいちょう", "コクゼイチョウ"),
        ("さーびす", "サービス"),
        ("サ－ビス", "サービス"),
        ("ゔぁいおりん", "ヴァイオリン"),
        ("ｴﾇ･ﾃｨ･ﾃｨ", "エヌ・ティ・ティ"),
        (" カブシキガイシャ ", "カブシキガイシャ"),
    ],
)
def test_normalize_kana(text, kana):
    assert normalize_kana(text) == kana


japanese_text = st.text(
    alphabet=st.sampled_from(
        list("あいうがぱゔアイウガパヴｱｲｳｶﾞﾊﾟｰーｰ－―‐−-　 \t\u200bＡａAa１1・･㈱㍻")
    )
)


@given(st.text() | japanese_text)
def test_normalize_for_match_is_idempotent(s):
    key = normalize_for_match(s)
    assert normalize_for_match(key) == key


@given(st.text() | japanese_text)
def test_normalize_kana_is_idempotent(s):
    kana = normalize_kana(s)
    assert normalize_kana(kana) == kana


@given(japanese_text)
def test_katakana_and_hiragana_spellings_match(s):
    assert normalize_for_match(normalize_kana(s)) == normalize_for_match(s)


# --- the fast paths (a regex search before str.translate and before the dash substitution)
# must give exactly what the plain jaconv pipeline gives, on any text, including every kana,
# every dash look-alike and mixtures of them.
def _reference_dashes(s: str) -> str:
    """The dash rule as a plain substitution with a callback, with no fast path."""
    import re

    from sangyo.core import text as t

    def repl(m: re.Match[str]) -> str:
        kana, dashes = m.groups()
        return kana + ("ー" if kana else "-") * len(dashes)

    return t._DASH_RUN.sub(repl, s)


def _reference_match(s: str) -> str:
    import unicodedata

    import jaconv

    from sangyo.core import text as t

    s = unicodedata.normalize("NFKC", t._INVISIBLE.sub("", s))
    s = unicodedata.normalize("NFKC", s.casefold())
    s = jaconv.kata2hira(s)
    return " ".join(_reference_dashes(s).split())


def _reference_kana(s: str) -> str:
    import unicodedata

    import jaconv

    from sangyo.core import text as t

    s = jaconv.hira2kata(unicodedata.normalize("NFKC", t._INVISIBLE.sub("", s)))
    return "\u3000".join(_reference_dashes(s).split())


_KANA_AND_DASHES = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x3040, max_codepoint=0x30FF),  # hiragana, katakana
        st.characters(min_codepoint=0xFF61, max_codepoint=0xFF9F),  # half-width katakana
        st.sampled_from("-‐‑‒–—―−─━ー－ｰ 　1aA株\u200b"),
    ),
    max_size=30,
)


@given(st.one_of(st.text(max_size=40), _KANA_AND_DASHES))
def test_fast_normalisation_equals_the_plain_pipeline(s):
    assert normalize_for_match(s) == _reference_match(s)
    assert normalize_kana(s) == _reference_kana(s)


@pytest.mark.parametrize(
    "s", ["データー", "ーデータ", "1ー2", "カ－ー", "ーー", "ｰｰ", "a-ー", "サーバ―", "でーた"]
)
def test_fast_normalisation_on_dash_edge_cases(s):
    assert normalize_for_match(s) == _reference_match(s)
    assert normalize_kana(s) == _reference_kana(s)


@given(st.lists(st.one_of(st.text(max_size=20), _KANA_AND_DASHES), max_size=8))
def test_normalising_many_at_once_equals_one_by_one(texts):
    from sangyo.core.text import normalize_many_for_match

    assert normalize_many_for_match(texts) == [normalize_for_match(t) for t in texts]


def test_normalising_many_with_the_separator_inside_a_text():
    from sangyo.core.text import normalize_many_for_match

    texts = ["ア\x00イ", "ｶﾌﾞ－", "", "データ\x00"]
    assert normalize_many_for_match(texts) == [normalize_for_match(t) for t in texts]
