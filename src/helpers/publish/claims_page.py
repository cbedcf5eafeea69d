"""The claims ledger as a page a reader can use: ``reports/claims.html``.

One anchored section per claim and per plan (``#<id>``, the address each ClaimReview's ``url`` points to): the
article's words and the sentence they stand in, the verdict and what it means on the scale, the reason, the evidence
passages with their sources (publisher, title, date, link, how much of the page was read), the speaker's record
searched, the second reading, and the figures whose data names the row. A reader filters by story and verdict and
searches the text with a few lines of plain JavaScript in the page; nothing is fetched, so it opens from disk.
"""

from __future__ import annotations

import csv
import html
from pathlib import Path

import pandas as pd

from ..facts import verdicts

_SCRIPT = """
const q = document.getElementById('q'), st = document.getElementById('story'), vd = document.getElementById('verdict');
const items = [...document.querySelectorAll('section.item')], shown = document.getElementById('shown');
function apply() {
  const words = q.value.toLowerCase().split(/\\s+/).filter(Boolean);
  let n = 0;
  for (const s of items) {
    const ok = (!st.value || s.dataset.story === st.value) && (!vd.value || s.dataset.verdict === vd.value)
      && words.every(w => s.textContent.toLowerCase().includes(w));
    s.hidden = !ok; if (ok) n++;
  }
  shown.textContent = n + ' of ' + items.length + ' shown';
}
for (const el of [q, st, vd]) el.addEventListener('input', apply);
apply();
"""


LAYERS = {"original": "the original reporting", "translation": "the translation into English",
          "splice": "the splice and republication", "undetermined": "cannot be told"}  # fmt: skip


def _text(v) -> str:
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def figures_naming(figures_dir: Path) -> dict[str, list[str]]:
    """Row id -> the figures whose data CSV names it (in any cell, as a whole ';'-separated item)."""
    out: dict[str, list[str]] = {}
    for p in sorted(figures_dir.glob("*.csv")):
        with open(p, encoding="utf-8", newline="") as fh:
            ids = {part.strip() for row in csv.reader(fh) for cell in row for part in cell.split(";")}
        for i in ids:
            out.setdefault(i, []).append(p.stem)
    return out


def _source(src: pd.DataFrame, sid: str) -> str:
    e = html.escape
    if sid not in src.index:
        return e(sid)
    s = src.loc[sid]
    title = _text(s["title"]) or sid
    link = f'<a href="{e(_text(s["url"]))}">{e(title)}</a>' if _text(s["url"]) else e(title)
    bits = [e(_text(s["publisher"])), link, e(_text(s["date"]) or "undated")]
    if _text(s.get("origin")):
        bits.append(f"reprinting {e(_text(s['origin']))}")
    if _text(s.get("extent")) == "partial":
        bits.append(f"read in part (not read: {e(_text(s['extent_missing']))})")
    elif _text(s.get("extent")) == "whole":
        bits.append("read whole")
    if _text(s.get("read_on")):
        bits.append(f"read from a stored copy of the page on {e(_text(s['read_on']))}")
    return " · ".join(b for b in bits if b)


def claims_page(tables, figures: dict[str, list[str]], title: str, root: Path | None = None) -> str:
    """The whole page (HTML) for the ledger in ``tables`` (claims, plans, evidence, sources, sentences, reviews)."""
    e = html.escape
    scale = verdicts.scale(root)

    def label(v: str) -> str:
        return verdicts.label(v, root)

    src = tables["sources"].set_index("id")
    stories = {r["story"]: r["story_label"] for _, r in src[src["kind"] == "article_part"].iterrows()}
    evidence = tables["evidence"]
    reviews = {(r["item_table"], r["item_id"]): r for _, r in tables["reviews"].iterrows()}
    sentences: dict[str, list[str]] = {}
    for _, s in tables["sentences"].iterrows():
        for i in _text(s["checked_by"]).split(";"):
            if i.strip():
                sentences.setdefault(i.strip(), []).append(s)

    def section(table: str, r) -> str:
        v = str(r["verdict"])
        d = scale.get(v, {})
        story = str(r["story"])
        parts = [f"<h3>“{e(_text(r['quote']))}”</h3>"]
        meta = [stories.get(story, "both stories" if story not in stories else story)]
        if table == "claims":
            meta.append(_text(r["claim_type"]))
            if _text(r["speaker"]):
                meta.append(f"quoting {_text(r['speaker'])}")
        else:
            meta.append(
                f"plan: {_text(r['plan'])}" + (f", deadline {_text(r['deadline'])}" if _text(r["deadline"]) else ", no deadline")
            )
        parts.append(f'<p class="meta">{e(" · ".join(m for m in meta if m))} · <code>{e(str(r["id"]))}</code></p>')
        for sent in sentences.get(str(r["id"]), []):
            parts.append(f'<blockquote class="seed">{e(_text(sent["text"]))}</blockquote>')
            if _text(sent.get("counterpart")) in ("original", "closest"):
                which = "In the original" if sent["counterpart"] == "original" else "Closest reporting found (not the original)"
                gloss = (
                    f' <span class="gloss">(our gloss: {e(_text(sent["gloss_ours"]))})</span>'
                    if _text(sent["gloss_ours"])
                    else ""
                )
                quote = f'<q lang="{e(_text(sent["language"]))}">{e(_text(sent["counterpart_text"]))}</q>'
                parts.append(f'<p class="origin">{which}: {quote}{gloss}<br>'
                             f'<small>{_source(src, sent["counterpart_source_id"])}</small></p>')  # fmt: skip
        parts.append(f'<p class="verdict v-{e(v)}"><strong>{e(label(v))}</strong>: {e(d.get("means", ""))}</p>')
        parts.append(f"<p>{e(_text(r['reason']))}</p>")
        if table == "claims" and _text(r.get("layer")):
            parts.append(f'<p class="layer"><strong>Where the problem came in</strong>: {e(LAYERS.get(r["layer"], r["layer"]))}. '
                         f'{e(_text(r["layer_note"]))}</p>')  # fmt: skip
        items = []
        if table == "claims":
            for _, ev in evidence[evidence["claim_id"] == r["id"]].iterrows():
                said = f"“{e(_text(ev['quote']))}”" if _text(ev["quote"]) else e(_text(ev["note"]))
                stance = f'<span class="stance">{e(_text(ev["stance"]))}</span>'
                items.append(f"<li>{stance} {said}<br><small>{_source(src, ev['source_id'])}</small></li>")
            if _text(r["record_source_id"]):
                items.append(
                    f'<li><span class="stance">record searched</span> <small>{_source(src, r["record_source_id"])}</small></li>'
                )
        else:
            items.append(f'<li><span class="stance">outcome</span> “{e(_text(r["evidence_quote"]))}”<br>'
                         f'<small>{_source(src, r["evidence_source_id"])}</small></li>')  # fmt: skip
            parts.append(f'<p class="outcome">What happened: {e(_text(r["outcome"]))}</p>')
        if items:
            parts.append('<h4>Evidence</h4><ul class="evidence">' + "".join(items) + "</ul>")
        rv = reviews.get((table, str(r["id"])))
        if rv is not None:
            how = "agreed" if rv["agree"] == "yes" else f"disagreed; settled: {e(_text(rv['settlement']).rstrip('.'))}"
            second = f"{e(label(str(rv['second_verdict'])))}: {e(_text(rv['second_reason']))}"
            parts.append(f'<p class="review"><strong>Second reading</strong> (made without seeing the first verdict): '
                         f"{second.rstrip('.')}. The readings {how}.</p>")  # fmt: skip
        figs = figures.get(str(r["id"]), [])
        if figs:
            parts.append(
                '<p class="figs">Used in ' + ", ".join(f'<a href="index.html#{e(f)}">{e(f)}</a>' for f in figs) + ".</p>"
            )
        return (f'<section class="item" id="{e(str(r["id"]))}" data-story="{e(story)}" data-verdict="{e(v)}">\n'
                + "\n".join(parts) + "\n</section>")  # fmt: skip

    claims = [section("claims", r) for _, r in tables["claims"].iterrows()]
    plans = [section("plans", r) for _, r in tables["plans"].iterrows()]
    used = set(tables["claims"]["verdict"]) | set(tables["plans"]["verdict"])
    story_opts = "".join(f'<option value="{e(k)}">{e(v)}</option>' for k, v in stories.items())
    verdict_opts = "".join(f'<option value="{e(v)}">{e(label(v))}</option>' for v in scale if v in used)
    legend = "".join(f"<li><strong>{e(label(v))}</strong> ({e(d['for'])}): {e(d['means'])}. Needs {e(d['needs'])}.</li>"
                     for v, d in scale.items())  # fmt: skip
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>The claims ledger · {e(title)}</title>
<style>
body {{ font-family: "DejaVu Sans", "Liberation Sans", sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
  color: #222; line-height: 1.45; }}
section.item {{ border-top: 1px solid #ccc; padding: .5rem 0 1rem; scroll-margin-top: 5rem; }}
section.item:target {{ background: #fffbe6; }}
.meta, small, .figs {{ color: #555; font-size: .85rem; }}
blockquote.seed {{ margin: .5rem 0; padding-left: .8rem; border-left: 3px solid #999; color: #444; }}
.origin {{ margin: .3rem 0 .5rem .8rem; color: #333; }} .gloss {{ font-style: italic; color: #555; }}
.verdict {{ font-size: 1.05rem; }} .stance {{ font-variant: small-caps; color: #555; }}
.controls {{ position: sticky; top: 0; background: #fff; padding: .5rem 0; border-bottom: 1px solid #ccc; }}
</style></head>
<body>
<p><a href="index.html">← The collection</a></p>
<h1>The claims ledger</h1>
<p>{e(title)}. Every checkable statement of the article, and every plan it reports, with its verdict, the evidence
passages it rests on, and a second reading made without seeing the first verdict. Quoted passages are short
quotations for review; they keep their owners' rights and each links to its source.</p>
<details><summary>The verdict scale</summary><ul>{legend}</ul></details>
<div class="controls">
<label>Story <select id="story"><option value="">all</option>{story_opts}</select></label>
<label>Verdict <select id="verdict"><option value="">all</option>{verdict_opts}</select></label>
<label>Search <input id="q" type="search" placeholder="words in the claim, reason or evidence"></label>
<span id="shown"></span>
</div>
<h2>Claims</h2>
{chr(10).join(claims)}
<h2>Plans and forecasts</h2>
{chr(10).join(plans)}
<script>{_SCRIPT}</script>
</body></html>
"""
