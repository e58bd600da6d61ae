import pytest

from models.text.normalise import normalise, normalise_many


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("米易縣衛(wèi)生", "米易县卫生"),
        ("米易县卫(wei4)生(sheng1)局", "米易县卫生局"),
        ("這(zhè)個(ge)問題", "这个问题"),  # toneless neutral syllable dropped once toned ones are
        ("微信(WeChat)联系", "微信(WeChat)联系"),  # no toned pinyin: kept
        ("１２３４５熱線　反映\n\n問題", "12345热线 反映 问题"),
        ("ＡＢＣ小區物業費過高", "ABC小区物业费过高"),
        ("  多个   空格\t和\r\n换行  ", "多个 空格 和 换行"),
        ("我哭了😭😭", "我哭了😭😭"),
        ("零\u200b宽", "零宽"),
        (None, ""),
        (float("nan"), ""),
        ("", ""),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


def test_traditional_sentence():
    assert (
        normalise("鄉鎮衛生院醫生態度很差，看病難、看病貴")
        == "乡镇卫生院医生态度很差,看病难、看病贵"
    )


def test_batch_matches_single():
    texts = ["米易縣衛(wèi)生", "ｔｅｓｔ", None, "后來"]
    assert normalise_many(texts) == [normalise(t) for t in texts]
