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
