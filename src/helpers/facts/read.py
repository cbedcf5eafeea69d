"""Reading the data package: ``datapackage.json`` and each CSV as strings, with the line each row starts on."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import paths
from .problems import Problem


@dataclass
class RawTable:
    name: str
    file: str  # as shown to the reader: data/<name>.csv
    frame: pd.DataFrame  # every cell a str or None
    lines: list[int]  # line where each row starts
    rows: list[int]  # the 1-based data row number of each frame row (rows refused for their shape are skipped)


def datapackage(root: Path | None = None) -> dict:
    root = root or paths.project_root()
    with open(root / "data" / "datapackage.json", encoding="utf-8") as fh:
        return json.load(fh)


def resource(dp: dict, name: str) -> dict:
    for r in dp["resources"]:
        if r["name"] == name:
            return r
    raise KeyError(f"no table {name!r} in data/datapackage.json; tables: {', '.join(r['name'] for r in dp['resources'])}")


def read_raw(root: Path, resource: dict) -> tuple[RawTable | None, list[Problem]]:
    """Read a CSV as strings, with the line where each row starts.

    Reading is done with the csv module rather than pandas so that a row's line
    number is exact even when quoted cells span several lines.
    """
    shown = f"data/{resource['path']}"
    path = root / "data" / resource["path"]
    if not path.is_file():
        return None, [Problem(shown, "the file to exist (it is listed in data/datapackage.json)")]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return None, [
            Problem(
                shown,
                f"UTF-8 text (byte {raw[err.start]:#04x} at offset {err.start} is not UTF-8; re-save the file as UTF-8)",
                line=line,
                value=raw[max(0, err.start - 20) : err.start + 1].decode("utf-8", "replace"),
            )
        ]
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[Problem] = []
    try:
        header = next(reader)
    except StopIteration:
        return None, [Problem(shown, "a header row")]
    except csv.Error as err:
        return None, [Problem(shown, f"valid CSV ({err})", line=1)]
    for sep, name in ((";", "semicolons (;)"), ("\t", "tabs")):
        if len(header) == 1 and sep in header[0]:
            return None, [Problem(shown, f"cells separated by commas; the header is one cell with {name} in it, so the file "
                                  f"was probably saved with {name} between columns (a spreadsheet's regional setting): "
                                  "save it again as CSV with commas, UTF-8", line=1, value=header[0][:60])]  # fmt: skip
    seen: set[str] = set()
    dupes = [h for h in header if h in seen or seen.add(h)]
    if dupes:
        return None, [
            Problem(shown, "each column name once in the header (duplicate column)", line=1, column=d, value=d) for d in dupes
        ]
    rows, lines, numbers = [], [], []
    n = 0
    start = reader.line_num + 1
    while True:
        try:
            rec = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            problems.append(Problem(shown, f"valid CSV ({err})", line=start))
            break
        if rec and any(cell.strip() for cell in rec):
            n += 1  # every data row counts, a refused one too, so later rows keep their true numbers
            if len(rec) != len(header):
                why = ("; probably a comma inside a field that is not in double quotes: put that field in double quotes"
                       if len(rec) > len(header) else "; probably a cell left out, or a line break inside a field that is "
                       "not in double quotes")  # fmt: skip
                problems.append(
                    Problem(shown, f"{len(header)} cells, as in the header{why}", row=n, line=start, value=f"{len(rec)} cells")
                )
            else:
                rows.append([cell if cell != "" else None for cell in rec])
                lines.append(start)
                numbers.append(n)
        start = reader.line_num + 1
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    return RawTable(resource["name"], shown, frame, lines, numbers), problems
