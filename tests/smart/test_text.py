from __future__ import annotations

import pytest

from lvzhi.smart.text import content_hash, mask_personal_data, normalize, strip_for_matching, tokenize


def test_normalize_width_whitespace_emoji() -> None:
    assert normalize("\n\t\t　ＡＢＣ１２３，你好😀\u3000世界\n\n\n下一行 ") == "ABC123,你好 世界\n下一行"
    assert normalize("a\n b", keep_newlines=False) == "a b"
    assert normalize("") == ""


def test_traditional_to_simplified() -> None:
    assert normalize("臺灣的電腦軟體") == "台湾的电脑软件"
    assert normalize("臺灣", to_simplified=False) == "臺灣"


def test_matching_form_and_hash() -> None:
    assert strip_for_matching("A市，噪音 扰民！") == strip_for_matching("Ａ市噪音扰民")
    assert content_hash("标题", "正文。") == content_hash("标题 ", "正文")
    assert content_hash("标题", "正文") != content_hash("标题", "别的正文")


def test_tokenize_keeps_place_codes_and_drops_stopwords() -> None:
    toks = tokenize("尊敬的领导：A1区景蓉华苑物业管理有问题，请尽快处理！K3县乡村医生 12345")
    assert "A1区" in toks and "K3县" in toks
    assert "的" not in toks and "领导" not in toks and "12345" not in toks
    assert "物业管理" in toks


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("电话13812345678", "电话138****5678"),
        ("手机：+86 138 1234 5678。", "手机：+86 138****5678。"),
        ("身份证号430102199001011234", "身份证号430**************4"),
        ("身份证43010219900101123X，", "身份证430**************X，"),
        ("15位430102900101123号", "15位430***********3号"),
        ("固话0731-84561234", "固话0731-****1234"),
        ("邮箱zhang.san@example.com", "邮箱z***@example.com"),
        ("我叫张三丰，住在A市", "我叫张**，住在A市"),
        ("本人李四，A市市民", "本人李*，A市市民"),
        ("姓名：欧阳娜娜", "姓名：欧阳**"),
        ("本人系春华镇村民", "本人系春华镇村民"),
        ("订单号2019123", "订单号2019123"),
    ],
)
def test_mask_personal_data(raw: str, masked: str) -> None:
    assert mask_personal_data(raw) == masked


def test_mask_keeps_length_for_phones_and_ids() -> None:
    text = "联系13812345678或430102199001011234"
    assert len(mask_personal_data(text)) == len(text)
    assert "12345678" not in mask_personal_data(text)


def test_huge_and_odd_input_does_not_crash() -> None:
    big = ("臺灣電話13812345678😀 A市噪音扰民。" * 5000)[:100_000]
    assert len(big) == 100_000
    assert normalize(big)
    assert tokenize(big)
    assert "13812345678" not in mask_personal_data(big)
    for odd in ["", " ", "😀😀", "\x00\x01", "﷽", "ａ" * 10]:
        normalize(odd)
        tokenize(odd)
        mask_personal_data(odd)


def test_type_errors() -> None:
    with pytest.raises(TypeError):
        normalize(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        mask_personal_data(123)  # type: ignore[arg-type]
