"""Prints an .xlsx file's cells as JSON, for the server's XLSX test (tests/it/xlsx.rs).

Usage: python3 xlsx_cells.py FILE.xlsx

Output: {"sheets": [{"name": ..., "merged": ["A1:G1", ...],
                     "cells": [{"row": 1, "col": 1, "value": ..., "bold": bool,
                                "align": "right" | null, "top": "medium" | null}, ...]}]}
Rows and columns count from 1; only cells holding a value are listed.
"""

import json
import sys

import openpyxl


def main(path):
    book = openpyxl.load_workbook(path)
    sheets = []
    for ws in book.worksheets:
        cells = []
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                cells.append({
                    "row": c.row,
                    "col": c.column,
                    "value": c.value,
                    "bold": bool(c.font and c.font.b),
                    "align": c.alignment.horizontal if c.alignment else None,
                    "top": c.border.top.style if c.border and c.border.top else None,
                })
        merged = sorted(str(r) for r in ws.merged_cells.ranges)
        sheets.append({"name": ws.title, "merged": merged, "cells": cells})
    json.dump({"sheets": sheets}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
