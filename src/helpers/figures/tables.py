"""Rows of a table shown in a notebook, set for reading with pandas' Styler (the library's own way to style a table's
HTML, not hand-made markup): text left-aligned and whole, wrapped at a reading width and never cut with '...'; blanks
where a value is missing, never NaN or <NA>; dates as dates; a verdict in the colours the charts and the claims page
give it. One table style for every notebook."""

from __future__ import annotations

import hashlib

import pandas as pd
from pandas.io.formats.style import Styler

from .theme import HIGHLIGHT, verdict_colour, verdict_ink

READING_WIDTH = "34em"  # a text column wraps at about 70 characters, a comfortable line
PROSE_WIDTH_CH = 22  # the narrowest a column of sentences is set, in characters
MAX_ROWS = 120  # the longest table a notebook shows whole


class TableError(ValueError):
    pass


class Table(Styler):
    """A Styler whose plain-text form is the table's rows (for a terminal or a text export), not the object's address,
    which changes with every run and would make two runs of a notebook differ."""

    def __repr__(self) -> str:
        return self.data.to_string(na_rep="", max_rows=20, max_colwidth=60, index=not self.hide_index_[0])


def _is_verdict_column(name) -> bool:
    return "verdict" in str(name)


def _date_text(value) -> str:
    if pd.isna(value):
        return ""
    ts = pd.Timestamp(value)
    return f"{ts:%Y-%m-%d}" if ts == ts.normalize() else f"{ts:%Y-%m-%d %H:%M}"


def _number_text(value) -> str:
    if pd.isna(value):
        return ""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.4f}".rstrip("0")


def table(df: pd.DataFrame | pd.Series, *, index: bool = False, highlight: pd.Series | None = None,
          caption: str | None = None, max_rows: int = MAX_ROWS) -> Styler:  # fmt: skip
    """``df`` as a styled table. Columns whose name says ``verdict`` are coloured by verdict; a value there that is
    not in the scale stops with the column, row and value. ``index=True`` keeps the index (a pivot table's rows, a
    count by group); otherwise it is hidden. ``highlight``: a true/false value per row (aligned on the index), the rows
    to set on a pale ground. The table's HTML ids come from its content, so a rebuilt notebook's page is the same."""
    if isinstance(df, pd.Series):
        df = df.to_frame()
        index = True
    if len(df) > max_rows:
        caption = " ".join(filter(None, [caption, f"The first {max_rows} of {len(df)} rows."]))
        df, highlight = df.head(max_rows), None if highlight is None else highlight.head(max_rows)
    verdict_cols = [c for c in df.columns if _is_verdict_column(c)]
    for col in verdict_cols:
        for row, value in df[col].items():
            if pd.notna(value):
                try:
                    verdict_colour(str(value))
                except KeyError:
                    raise TableError(f"column {col!r}, row {row!r}: {value!r} is not a verdict of the scale "
                                     "(data/datapackage.json, x-verdict-scale)") from None  # fmt: skip
    digest = hashlib.sha1(pd.util.hash_pandas_object(df.astype(str), index=True).values.tobytes()
                          + repr(list(df.columns)).encode()).hexdigest()[:10]  # fmt: skip
    styler = Table(df, uuid=f"t{digest}")
    styler = styler.format(na_rep="")
    dates = [c for c in df.columns if pd.api.types.is_datetime64_any_dtype(df[c])]
    if dates:
        styler = styler.format(_date_text, subset=dates)
    floats = [c for c in df.columns if pd.api.types.is_float_dtype(df[c])]
    if floats:  # a count held as a float (a column with blanks) shows as a count; a coordinate keeps its decimals
        styler = styler.format(_number_text, subset=floats)
    text = [c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c])]
    styler = styler.set_table_styles([
        {"selector": "th", "props": "text-align: left; vertical-align: bottom;"},
        {"selector": "th.row_heading", "props": "vertical-align: top;"},
        {"selector": "td", "props": "text-align: right; vertical-align: top;"},
        {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: bold;"},
    ])  # fmt: skip
    wrap = f"text-align: left; white-space: normal; overflow-wrap: break-word; max-width: {READING_WIDTH};"
    # a column of sentences (quotes, reasons) keeps a reading width, so short columns of ids do not squeeze it
    prose = {c for c in text if df[c].dropna().astype(str).str.len().max() > 2 * PROSE_WIDTH_CH}
    styler = styler.set_table_styles({c: [{"selector": "td", "props": wrap + (f" min-width: {PROSE_WIDTH_CH}ch;"
                                                                              if c in prose else "")}]
                                      for c in text}, overwrite=False)  # fmt: skip
    for col in verdict_cols:
        styler = styler.map(lambda v: "" if pd.isna(v) else
                            f"background-color: {verdict_colour(str(v))}; color: {verdict_ink(str(v))}; font-weight: bold;",
                            subset=[col])  # fmt: skip
    if highlight is not None:
        marked = highlight.reindex(df.index)
        if marked.isna().any():
            raise TableError(f"highlight has no value for row(s) {list(df.index[marked.isna()])[:5]}")
        styler = styler.apply(lambda r: [f"background-color: {HIGHLIGHT}" if marked[r.name] else ""] * len(r), axis=1)
    if not index:
        styler = styler.hide(axis="index")
    if caption:
        styler = styler.set_caption(caption)
    return styler
