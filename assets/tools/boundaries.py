#!/usr/bin/env python3
"""Compacts the ISTAT/Openpolis comuni GeoJSON (CC BY 4.0, "ISTAT, Openpolis") into
assets/comuni-boundaries.txt, read by src/locate.rs.

One line per polygon: `ISTAT|ring|ring...`, the first ring the outer boundary, the others
holes. A ring is `x,y dx,dy dx,dy ...`: longitude and latitude in units of 1e-5 degrees, the
first point absolute and each next one as the difference from the previous.

Usage: python3 assets/tools/boundaries.py ../shared/data/comuni-2023.geojson > assets/comuni-boundaries.txt
"""
import json
import sys


def ring(coords):
    out, px, py = [], None, None
    for lon, lat in coords:
        x, y = round(lon * 1e5), round(lat * 1e5)
        out.append(f"{x},{y}" if px is None else f"{x - px},{y - py}")
        px, py = x, y
    return " ".join(out)


def main(path):
    features = json.load(open(path, encoding="utf-8"))["features"]
    print("# Comuni boundaries 2023, ISTAT, Openpolis (CC BY 4.0); see assets/tools/boundaries.py")
    for f in sorted(features, key=lambda f: f["properties"]["istat"]):
        g = f["geometry"]
        polygons = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        for poly in polygons:
            print(f["properties"]["istat"] + "|" + "|".join(ring(r) for r in poly))


if __name__ == "__main__":
    main(sys.argv[1])
