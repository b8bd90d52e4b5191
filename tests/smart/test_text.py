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


# Names, addresses and plates in the patterns of the real messages (issue "Production …", item 7), and the
# handling unit's public phone kept in its reply (issue "What people meet …"). Each expected text was written by
# hand: the surname stays, each character of the given name, room/house number and plate becomes "*".
@pytest.mark.parametrize(("raw", "masked"), [
    ("张伟反映小区夜间施工噪音扰民。", "张*反映小区夜间施工噪音扰民。"),
    ("市民李明投诉公交站牌损坏。", "市民李*投诉公交站牌损坏。"),
    ("王小明先生：您好！", "王**先生：您好！"),
    ("请与建设工作组唐娥同志联系。", "请与建设工作组唐*同志联系。"),
    ("陈晓红：您好，来信收悉。", "陈**：您好，来信收悉。"),
    ("我家住在时代星城小区4幢1321室。", "我家住在时代星城小区4幢****室。"),
    ("我是43栋101户业主。", "我是43栋***户业主。"),
    ("地址：枫林二路366号裕园大厦1608房。", "地址：枫林二路***号裕园大厦****房。"),
    ("车牌赣A50397的车辆常年占道。", "车牌赣A*****的车辆常年占道。"),
    ("粤J·12345和鄂A600HV6", "粤J·*****和鄂A******"),
])
def test_mask_names_addresses_and_plates(raw: str, masked: str) -> None:
    assert mask_personal_data(raw) == masked


@pytest.mark.parametrize("text", [
    "工商所张女士说会处理。",          # a bare surname with a title identifies nobody
    "周末安排老师上课，关爱老人。",      # "安排"/"关爱" are not names
    "业主多次向物业反映，向政府反映无果。",
    "小区内接近2600户，共14栋。",      # household counts, not room numbers
    "6栋居民出行不便，地铁3号线延误。",
    "两室一厅的房价上涨。",
    "设计强度为C55C50。",
])
def test_mask_leaves_ordinary_words_alone(text: str) -> None:
    assert mask_personal_data(text) == text


def test_unit_reply_keeps_its_public_phone_but_masks_the_citizens() -> None:
    reply = "如有疑问请拨打联系电话0750-3200000。经联系您（0750-3123456）核实，您的手机13812345678已登记。"
    assert mask_personal_data(reply, keep_public_phones=True) == (
        "如有疑问请拨打联系电话0750-3200000。经联系您（0750-***3456）核实，您的手机138****5678已登记。")
    assert "0750-***0000" in mask_personal_data(reply)  # in a citizen's own text every landline is masked
