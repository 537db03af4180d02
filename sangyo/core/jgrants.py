"""jGrants vocabularies (see the shared reference japan-rules.md): the use purposes (利用目的)
and the employee-number bands a program states, written exactly as the jGrants API does."""

USE_PURPOSES = (
    "新たな事業を行いたい",
    "販路拡大・海外展開をしたい",
    "イベント・事業運営支援がほしい",
    "事業を引き継ぎたい",
    "研究開発・実証事業を行いたい",
    "人材育成を行いたい",
    "資金繰りを改善したい",
    "設備整備・IT導入をしたい",
    "雇用・職場環境を改善したい",
    "エコ・SDGs活動支援がほしい",
    "災害（自然災害、感染症等）支援がほしい",
    "教育・子育て・少子化支援がほしい",
    "スポーツ・文化支援がほしい",
    "安全・防災対策支援がほしい",
    "まちづくり・地域振興支援がほしい",
)
EMPLOYEE_BANDS = (
    "従業員数の制約なし",
    "5名以下",
    "20名以下",
    "50名以下",
    "100名以下",
    "300名以下",
    "900名以下",
    "901名以上",
)
