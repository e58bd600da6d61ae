"""The county's administrative units: codes, names, populations and boundaries.

Codes follow the 统计用区划代码 pattern: province(2) city(2) county(2) township(3) village(3).
Township codes are 001.. for 街道, 100.. for 镇 and 200.. for 乡; under a township, 社区 get
001.. and 村 get 200.., as in the published code lists. Names are composed from common
Chinese place-name parts (X家坝, X溪, 新X…), unique within a county.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

PROVINCE = ("51", "四川省")
PHONE_AREA = {13: "0817", 14: "0818", 15: "0826", 16: "0816", 17: "0839", 18: "0825",
              19: "0838", 20: "0831", 21: "0833", 22: "0832"}
PLATE_LETTER = {13: "R", 14: "S", 15: "X", 16: "B", 17: "H", 18: "J", 19: "F", 20: "Q",
                21: "L", 22: "M"}
CITY_NAMES = ["嘉陵市", "巴山市", "渠江市", "涪川市", "岷阳市", "沱江市", "青衣市", "雅砻市",
              "大宁市", "安汉市"]
COUNTY_A = list("青云安清临白龙长永石东丰南西桂黎宝太新平金兴德盐乐通营华剑蓬仪营阆")
COUNTY_B = list("岚溪平河江沙泉宁和门陵乐屏岭阳川兴水安源山坪林城台川")

STREET_NAMES = ["城东街道", "城西街道", "城南街道", "城北街道", "滨江街道", "文昌街道",
                "锦屏街道", "凤山街道"]
PLACE_A = list("王李张刘陈杨黄赵吴周何罗谢唐邓冯曾彭田蒋袁向")
PLACE_B = ["家坝", "家湾", "家河", "家沟", "家桥", "家场", "家垭", "家坪", "家庙", "家岭"]
PLACE_C = list("金银石柏松桃柳梅竹龙凤马牛鹤花青白黄红清双三五永太新观")
PLACE_D = ["溪", "河", "坪", "桥", "口", "寺", "庙", "山", "林", "水", "滩", "垭", "岭",
           "湾", "场", "台", "关", "坝", "堰", "池"]
COMMUNITY_NAMES = ["东街社区", "西街社区", "南街社区", "北街社区", "滨江社区", "幸福社区",
                   "和平社区", "文化路社区", "人民路社区", "新华社区", "解放路社区", "建设路社区",
                   "学府社区", "花园社区", "锦绣社区", "翠屏社区", "红旗社区", "光明社区"]


@dataclass
class Village:
    code: str
    name: str
    kind: str            # 村 or 社区
    urban_rural_code: str
    population: int


@dataclass
class Township:
    index: int
    code: str
    name: str
    kind: str            # 街道 / 镇 / 乡
    population: int
    urban: bool
    villages: list[Village] = field(default_factory=list)
    centroid: tuple[float, float] = (0.0, 0.0)


@dataclass
class County:
    index: int
    code6: str
    name: str
    city_name: str
    phone_area: str
    plate_prefix: str
    center: tuple[float, float]
    townships: list[Township] = field(default_factory=list)
    outline: np.ndarray | None = None

    @property
    def code12(self) -> str:
        return self.code6 + "000000"

    @property
    def population(self) -> int:
        return sum(t.population for t in self.townships)

    @property
    def villages(self) -> list[Village]:
        return [v for t in self.townships for v in t.villages]


def county_codes(n: int) -> list[tuple[int, str]]:
    """(city number, 6-digit county code) for county i: ten counties per city."""
    out = []
    for i in range(n):
        city = 13 + i // 10
        if city > 99:
            raise ValueError(f"scale {n} exceeds the province's code space")
        out.append((city, f"{PROVINCE[0]}{city:02d}{21 + i % 10:02d}"))
    return out


def county_names(rng: np.random.Generator, n: int) -> list[str]:
    pairs = [a + b for a in COUNTY_A for b in COUNTY_B if a != b]
    pick = rng.choice(len(pairs), size=n, replace=False)
    return [pairs[i] + "县" for i in pick]


def _unique_names(rng: np.random.Generator, makers, n: int, taken: set[str]) -> list[str]:
    out: list[str] = []
    guard = 0
    while len(out) < n:
        name = makers(rng)
        guard += 1
        if name not in taken:
            taken.add(name)
            out.append(name)
        if guard > 100000:
            raise RuntimeError("ran out of place names")
    return out


def _town_stem(rng: np.random.Generator) -> str:
    if rng.random() < 0.45:
        return str(rng.choice(PLACE_A)) + str(rng.choice(PLACE_B))
    if rng.random() < 0.15:
        return "新" + str(rng.choice(PLACE_C)) + str(rng.choice(PLACE_D))
    return str(rng.choice(PLACE_C)) + str(rng.choice(PLACE_D))


def build_county(rng: np.random.Generator, index: int, city: int, code6: str, name: str,
                 rates: dict) -> County:
    c = rates["county"]
    n_town = int(rng.integers(c["townships"][0], c["townships"][1] + 1))
    n_street = int(rng.integers(c["subdistricts"][0], c["subdistricts"][1] + 1))
    pop_total = int(rng.uniform(*c["population"]))
    county = County(
        index=index, code6=code6, name=name, city_name=CITY_NAMES[(city - 13) % len(CITY_NAMES)],
        phone_area=PHONE_AREA.get(city, "0817"), plate_prefix="川" + PLATE_LETTER.get(city, "R"),
        center=(104.5 + 0.9 * (index % 10), 30.2 + 0.8 * (index // 10 % 10)),
    )
    taken: set[str] = set()
    streets = list(rng.choice(STREET_NAMES, size=n_street, replace=False))
    taken.update(streets)
    n_rest = n_town - n_street
    n_xiang = int(round(n_rest * rng.uniform(0.15, 0.35)))
    stems = _unique_names(rng, _town_stem, n_rest - 1, {"城关"})
    kinds = ["街道"] * n_street + ["镇"] + ["镇"] * (n_rest - 1 - n_xiang) + ["乡"] * n_xiang
    names = streets + ["城关镇"] + [s + k for s, k in zip(stems, kinds[n_street + 1:], strict=True)]
    # relative sizes: 街道 and 城关镇 large, 镇 medium, 乡 small
    base = {"街道": (3.5, 0.25), "镇": (2.2, 0.35), "乡": (1.0, 0.3)}
    weights = np.array([rng.lognormal(np.log(base[k][0]), base[k][1]) for k in kinds])
    weights[n_street] *= 1.8  # 城关镇
    pops = np.floor(weights / weights.sum() * pop_total).astype(int)
    code_no = {"街道": 1, "镇": 100, "乡": 200}
    village_taken: set[str] = set()
    for ti, (tname, kind, pop) in enumerate(zip(names, kinds, pops, strict=True)):
        tcode = f"{code6}{code_no[kind]:03d}"
        code_no[kind] += 1
        urban = kind == "街道" or tname == "城关镇"
        town = Township(ti, tcode + "000", tname, kind, int(pop), urban)
        town.villages = _villages(rng, town, tcode, rates, village_taken)
        county.townships.append(town)
    return county


def _villages(rng: np.random.Generator, town: Township, tcode: str, rates: dict,
              taken: set[str]) -> list[Village]:
    lo, hi = rates["county"]["villages_per_township"]
    if town.kind == "街道":
        n_comm, n_vill = int(rng.integers(6, 12)), int(rng.integers(0, 3))
    elif town.urban:
        n_comm, n_vill = int(rng.integers(3, 6)), int(rng.integers(lo, hi))
    else:
        n_comm, n_vill = int(rng.integers(1, 3)), int(rng.integers(lo, hi + 1))
    comm_names = [n for n in COMMUNITY_NAMES if n not in taken]
    comm = list(rng.choice(comm_names, size=min(n_comm, len(comm_names)), replace=False))
    if town.kind != "街道" and not town.urban:
        comm = [town.name[:-1] + "场镇社区"] + comm[1:] if town.kind == "镇" else comm
    comm = [n if n not in taken else town.name[:2] + n for n in comm]
    taken.update(comm)
    vill = _unique_names(rng, lambda r: _town_stem(r) + "村", n_vill, taken)
    w = rng.lognormal(0, 0.45, size=len(comm) + len(vill))
    w[: len(comm)] *= 2.2 if town.urban else 1.3
    pops = np.floor(w / w.sum() * town.population).astype(int)
    pops[0] += town.population - pops.sum()
    out = []
    for i, name in enumerate(comm):
        urc = "111" if town.kind == "街道" else ("112" if town.urban else "121")
        out.append(Village(f"{tcode}{i + 1:03d}", name, "社区", urc, int(pops[i])))
    for j, name in enumerate(vill):
        urc = "220" if j else "210"
        out.append(Village(f"{tcode}{200 + j + 1:03d}", name, "村", urc,
                           int(pops[len(comm) + j])))
    return out
