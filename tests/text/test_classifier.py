import numpy as np
import pytest

from models.text.classifier import (
    CategoryModel,
    evaluate,
    load_taxonomy,
    read_labelled_csv,
    train,
)

SEEDS = {
    "城乡建设": [
        "物业费太高",
        "安置房迟迟不交房",
        "小区停水停电",
        "违建挡住采光",
        "老旧小区改造加装电梯",
    ],
    "环境保护": [
        "工厂偷排污水",
        "烧烤油烟扰民",
        "夜间施工噪音",
        "养猪场臭味熏天",
        "砂石厂扬尘严重",
    ],
    "交通运输": ["公交线路被取消", "渣土车超速", "驾驶证换证难", "路口没有红绿灯", "出租车拒载"],
    "教育文体": [
        "孩子入学难",
        "学校强制买教辅",
        "老师有偿补课",
        "校园欺凌无人管",
        "文化站长期锁门",
    ],
    "劳动和社会保障": [
        "老板拖欠工资",
        "农民工讨薪",
        "公司不交社保",
        "工伤不给赔偿",
        "养老金没有到账",
    ],
    "商贸旅游": [
        "健身房老板跑路",
        "景区强制购物",
        "菜市场缺斤短两",
        "超市卖过期食品",
        "预付卡退不了费",
    ],
    "卫生计生": [
        "医院乱收费",
        "挂号排队太久",
        "村卫生室没有医生",
        "疫苗接种排队",
        "生育登记怎么办",
    ],
}


def _data(repeat: int = 3):
    texts, labels = [], []
    tails = ["，希望尽快处理。", "，请相关部门管一管。", "，已经反映多次了。"]
    for label, seeds in SEEDS.items():
        for s in seeds:
            for t in tails[:repeat]:
                texts.append(s + t)
                labels.append(label)
    return texts, labels


@pytest.fixture(scope="module")
def model():
    texts, labels = _data()
    return train(texts, labels)


def test_taxonomy_matches_seed_classes():
    assert load_taxonomy().names == list(SEEDS)


def test_probabilities_are_calibrated_distributions(model):
    p = model.predict_proba(["物业公司乱收费", "老板欠薪不给", "医院看病贵"])
    assert p.shape == (3, 7)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-9)
    assert (p >= 0).all()


def test_predicts_sensible_classes(model):
    pred = model.predict(["拖欠农民工工资", "夜间施工噪音太大", "孩子入学问题"])
    assert list(pred) == ["劳动和社会保障", "环境保护", "教育文体"]


def test_traditional_input(model):
    assert model.predict(["拖欠農民工工資"])[0] == "劳动和社会保障"


def test_save_load_roundtrip(model, tmp_path):
    texts, labels = _data(1)
    model.metrics = {"train (resubstitution)": evaluate(model, texts, labels)}
    model.save(tmp_path / "m", data_note="unit-test seeds")
    again = CategoryModel.load(tmp_path / "m")
    x = ["物业费太高", "工伤不给赔偿"]
    np.testing.assert_allclose(again.predict_proba(x), model.predict_proba(x))
    card = (tmp_path / "m" / "model_card.md").read_text(encoding="utf-8")
    assert "macro-F1" in card and "unit-test seeds" in card and "Limits" in card


def test_load_missing(tmp_path):
    with pytest.raises(FileNotFoundError):
        CategoryModel.load(tmp_path)


def test_train_rejects_singletons():
    with pytest.raises(ValueError, match="fewer than 2"):
        train(["a", "b", "c"], ["x", "x", "y"])


def test_read_csv_with_bom(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("text,label\n物业费太高,城乡建设\n,城乡建设\n", encoding="utf-8-sig")
    df = read_labelled_csv(p)
    assert list(df.columns) == ["text", "label"] and len(df) == 1


def test_read_csv_missing_column(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("content,label\nx,y\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing column"):
        read_labelled_csv(p)
