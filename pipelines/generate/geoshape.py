"""Township boundaries: a Voronoi partition of a jittered county outline, numpy only.

The county is a star-shaped polygon (a circle with a few random harmonics); townships are the
Voronoi cells of seed points (urban ones near the centre, one Lloyd relaxation step), each cell
obtained by clipping the outline with the perpendicular-bisector half-planes. Cells therefore
tile the county exactly and share their edges.
"""

from __future__ import annotations

import numpy as np

from pipelines.generate.geography import County

KM_PER_DEG_LAT = 111.0


def outline(rng: np.random.Generator, center: tuple[float, float], area_km2: float,
            n: int = 96) -> np.ndarray:
    theta = np.linspace(0, 2 * np.pi, n, endpoint=False)
    r = np.ones(n)
    for k in range(2, 7):
        r += rng.normal(0, 0.14 / k) * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
    r *= 1 + rng.normal(0, 0.01, size=n)
    radius_km = np.sqrt(area_km2 / np.pi)
    lat_scale = radius_km / KM_PER_DEG_LAT
    lon_scale = lat_scale / np.cos(np.radians(center[1]))
    return np.column_stack([center[0] + lon_scale * r * np.cos(theta),
                            center[1] + lat_scale * r * np.sin(theta)])


def _clip(poly: np.ndarray, normal: np.ndarray, offset: float) -> np.ndarray:
    """Sutherland–Hodgman: the part of ``poly`` with ``x·normal <= offset``."""
    if len(poly) == 0:
        return poly
    d = poly @ normal - offset
    out = []
    for i in range(len(poly)):
        j = (i + 1) % len(poly)
        if d[i] <= 0:
            out.append(poly[i])
        if (d[i] <= 0) != (d[j] <= 0):
            t = d[i] / (d[i] - d[j])
            out.append(poly[i] + t * (poly[j] - poly[i]))
    return np.array(out) if out else np.zeros((0, 2))


def _cells(poly: np.ndarray, seeds: np.ndarray) -> list[np.ndarray]:
    cells = []
    for i, p in enumerate(seeds):
        cell = poly
        for j, q in enumerate(seeds):
            if i != j:
                normal = q - p
                cell = _clip(cell, normal, float(normal @ ((p + q) / 2)))
        cells.append(cell)
    return cells


def _inside(poly: np.ndarray, pts: np.ndarray) -> np.ndarray:
    x, y = pts[:, 0:1], pts[:, 1:2]
    x0, y0 = poly[:, 0], poly[:, 1]
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    cond = (y0 > y) != (y1 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        xint = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
    return ((cond & (x < xint)).sum(axis=1) % 2) == 1


def _centroid(cell: np.ndarray) -> np.ndarray:
    x, y = cell[:, 0], cell[:, 1]
    x1, y1 = np.roll(x, -1), np.roll(y, -1)
    cross = x * y1 - x1 * y
    a = cross.sum() / 2
    if abs(a) < 1e-15:
        return cell.mean(axis=0)
    return np.array([((x + x1) * cross).sum(), ((y + y1) * cross).sum()]) / (6 * a)


def township_polygons(rng: np.random.Generator, county: County) -> list[np.ndarray]:
    """One closed ring (lon, lat) per township, counter-clockwise; also sets centroids."""
    n = len(county.townships)
    area = rng.uniform(1400, 2600)
    poly = outline(rng, county.center, area)
    county.outline = poly
    span = poly.max(axis=0) - poly.min(axis=0)
    seeds = np.zeros((n, 2))
    k = 0
    for t in county.townships:
        while True:
            spread = 0.12 if t.urban else 0.45
            cand = np.array(county.center) + rng.normal(0, spread, 2) * span / 2
            if _inside(poly, cand[None])[0] and (k == 0 or np.min(
                    np.hypot(*(seeds[:k] - cand).T)) > 0.05 * span.mean()):
                break
        seeds[k] = cand
        k += 1
    for _ in range(2):  # Lloyd relaxation, urban seeds pulled less
        cells = _cells(poly, seeds)
        cent = np.array([_centroid(c) for c in cells])
        w = np.array([0.35 if t.urban else 0.8 for t in county.townships])[:, None]
        seeds = seeds + w * (cent - seeds)
    cells = _cells(poly, seeds)
    rings = []
    for t, cell in zip(county.townships, cells, strict=True):
        c = np.round(cell, 6)
        c = c[np.r_[True, np.any(np.diff(c, axis=0) != 0, axis=1)]]
        x, y = c[:, 0], c[:, 1]
        if (x * np.roll(y, -1) - np.roll(x, -1) * y).sum() < 0:
            c = c[::-1]
        t.centroid = tuple(np.round(_centroid(c), 6))
        rings.append(np.vstack([c, c[:1]]))
    return rings


def feature_collection(county: County, rings: list[np.ndarray]) -> dict:
    return {
        "type": "FeatureCollection",
        "name": f"{county.name}乡镇边界",
        "features": [
            {"type": "Feature",
             "properties": {"code": t.code, "name": t.name},
             "geometry": {"type": "Polygon", "coordinates": [ring.tolist()]}}
            for t, ring in zip(county.townships, rings, strict=True)
        ],
    }
