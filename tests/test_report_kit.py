"""The report kit: manifest, plain variants and report sizes, figure book, and an index page that works offline."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from PIL import Image


def _manifest(built: Path) -> dict:
    return json.loads((built / "reports" / "figures.json").read_text(encoding="utf-8"))


def test_the_manifest_lists_every_figure_with_caption_alt_text_source_and_checksums(built):
    man = _manifest(built)
    names = {f["name"] for f in man["figures"]}
    exported = {p.name[: -len(".meta.json")] for p in (built / "reports" / "figures").glob("*.meta.json")}
    pngs = {p.stem for p in (built / "reports" / "figures").glob("*.png") if "." not in p.stem}
    assert names == exported == pngs and len(names) >= 14
    for f in man["figures"]:
        assert f["caption"].startswith(f["title"].rstrip(".")) and f["alt"] and f["source"].startswith("Source:"), f["name"]
        assert not f["alt"].lower().startswith(("a chart", "chart of", "a map of")), "alt text states what it shows"
        assert f["notebook"].endswith(".ipynb") and (built / "notebooks" / f["notebook"]).is_file()
        for key, entry in f["files"].items():
            path = built / "reports" / entry["path"]
            assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], f"{f['name']} {key}: checksum"
    assert re.fullmatch(r"[0-9a-f]{40}(\+dirty)?|unknown", man["commit"])


def test_every_figure_has_a_plain_variant_and_report_sizes(built):
    figures = built / "reports" / "figures"
    for f in _manifest(built)["figures"]:
        files = f["files"]
        assert {"png", "plain.png", "plain.svg", "plain.pdf", "column.png", "column.svg", "column.pdf"} <= set(files)
        assert "page.png" not in files, "one PNG per width: no second page PNG at another resolution"
        for key, width_px, dpi in (("png", 1338, 200), ("column.png", 1004, 300)):  # 17 cm at 200 dpi, 8.5 cm at 300
            with Image.open(figures / Path(files[key]["path"]).name) as im:
                assert abs(im.size[0] - width_px) <= 2 and round(im.info["dpi"][0]) == dpi, (f["name"], key, im.size)
        with Image.open(figures / f"{f['name']}.png") as page, Image.open(figures / f"{f['name']}.plain.png") as plain:
            assert plain.size[0] == page.size[0] and plain.size[1] < page.size[1], "the plain variant is cut to the plot"
        svg = (figures / f"{f['name']}.svg").read_text(encoding="utf-8")
        plain = (figures / f"{f['name']}.plain.svg").read_text(encoding="utf-8")
        assert "<text" in svg, "SVG keeps its text as text"
        # the title is drawn as several lines (gids title-0, title-1 ...): the finished SVG has them, the plain none
        assert 'id="title-0"' in svg and f["title"].split()[0] in svg, f["name"]
        assert not re.search(r'id="(title|subtitle|source|note)-\d+"', plain), f"{f['name']}: the plain SVG has a title line"
        assert b"/FontFile2" in (figures / f"{f['name']}.pdf").read_bytes(), "the PDF embeds its fonts"


def test_every_figure_passed_the_check_at_page_and_column_width_and_records_its_smallest_text(built):
    """The build exports only what passes the figure check; the manifest says what each file's smallest text is."""
    for f in _manifest(built)["figures"]:
        assert f["layouts"]["page"]["width_cm"] == 17.0 and f["layouts"]["column"]["width_cm"] == 8.5, f["name"]
        small = f["smallest_text_pt"]
        assert set(small) == {Path(v["path"]).name for k, v in f["files"].items() if k != "csv"}, f["name"]
        for file, pt in small.items():
            assert pt >= (6.0 if ".column." in file else 7.0), f"{file}: smallest text {pt} pt"


def _numbers(text: str) -> set[int]:
    """The whole numbers a text writes ('5,000', '2021', '3.5' gives 3 and 5)."""
    return {int(n.replace(",", "")) for n in re.findall(r"\d{1,3}(?:,\d{3})+|\d+", text)}


def _values_said(alt: str, data_csv: str) -> set[int]:
    """The numbers of an alt text that are values of the figure's data (counts, dates' years and days)."""
    return _numbers(alt) & _numbers(data_csv)


def test_an_alt_text_that_names_no_value_of_its_data_is_caught():
    data = "row_id,value,start\ntr_french_2021,5000,2021-09-01\ntr_french_cut_2023,2000,2023-01-01\n"
    assert _values_said("Bar chart of French troop numbers in the article.", data) == set()
    assert _values_said("Over 5,000 French troops in September 2021, 2,000 fewer by 2023.", data) >= {5000, 2000, 2021}


def test_alt_text_and_description_say_what_the_data_shows_and_source_lines_print(built):
    import csv

    for f in _manifest(built)["figures"]:
        assert f["alt"] not in (f["title"], f"{f['title']}. {f['subtitle']}"), f["name"]
        data_csv = (built / "reports" / "figures" / f["data"]).read_text(encoding="utf-8")
        said = _values_said(f["alt"], data_csv)
        assert len(said) >= 2, f"{f['name']}: its alt text names {sorted(said)} of its data's values, not what it shows"
        with open(built / "reports" / "figures" / f["data"], encoding="utf-8", newline="") as fh:
            rows = len(list(csv.DictReader(fh)))
        drawn = re.match(r"The figure draws (\d+) rows: ", f["description"])
        assert drawn and int(drawn.group(1)) == rows, f"{f['name']}: the description does not go through the plotted rows"
        for leak in ("seeds/", ".txt", ".csv", "http", "by inference", "data/"):
            assert leak not in f["source"], f"{f['name']}: {leak!r} in its printed source line"


def test_every_svg_mark_drawn_from_a_row_has_a_hover_title_with_its_words_and_source(built):
    """Marks of a row, of a row's outside evidence (``<row_id>-evidence``) and marks tagged with a source's own id."""
    import csv

    figures = built / "reports" / "figures"
    with open(built / "data" / "sources.csv", encoding="utf-8", newline="") as fh:
        sources = {r["id"] for r in csv.DictReader(fh)}
    evidence_marks = 0
    for f in _manifest(built)["figures"]:
        with open(figures / f"{f['name']}.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        ids = sorted(({r.get("row_id") or r.get("id") or "" for r in rows} | sources) - {""}, key=len, reverse=True)
        for layout in ("svg", "column.svg"):
            svg = (figures / f"{f['name']}.{layout}").read_text(encoding="utf-8")
            groups = re.findall(r'<g id="([^"]+)">\n( *<title>(.*?)</title>)?', svg, re.S)
            marks = [(g, t) for g, _, t in groups if any(g == i or g.startswith((f"{i}.", f"{i}-")) for i in ids)]
            assert marks, f"{f['name']}.{layout}: no mark carries a plotted row's id"
            for gid, title in marks:
                assert title and "Source: " in title, f"{f['name']}.{layout}: mark {gid} has no hover title"
                if gid.split(".")[0].endswith("-evidence"):  # the evidence's own words and source, not the row's
                    evidence_marks += 1
                    assert "(evidence)" in title, f"{f['name']}.{layout}: evidence mark {gid} shows its row's title"
    assert evidence_marks, "the plan scorecard's outcomes are evidence marks"


def test_hovering_a_bar_in_chromium_shows_its_quote_and_source(built, offline_page):
    """The hover text a browser shows is the <title> of the element under the pointer (or of its nearest group)."""
    import csv

    figures = (built / "reports" / "figures").resolve()
    with open(figures / "french_drawdown.csv", encoding="utf-8", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["series"] == "French troops")
    page = offline_page
    page.goto((figures / "french_drawdown.svg").as_uri(), wait_until="load")
    box = page.locator(f'g[id="{row["row_id"]}.{row["evidence"]}"] path').first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.6)
    shown = page.evaluate("""() => {
        const hovered = [...document.querySelectorAll(':hover')].pop();
        for (let el = hovered; el; el = el.parentElement) {
            const t = [...el.children].find(c => c.tagName === 'title');
            if (t) return t.textContent;
        }
        return null;
    }""")
    assert shown and f"“{row['quote']}”" in shown and "Source: the article" in shown, shown


def test_the_figure_book_holds_every_figure(built):
    pdf = (built / "reports" / "figure-book.pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == len(_manifest(built)["figures"])


def test_the_index_opens_offline_in_chromium_with_every_image_and_link_working(built, offline_page):
    page = offline_page
    reports = (built / "reports").resolve()
    page.goto((reports / "index.html").as_uri(), wait_until="load")
    assert page.title() and page.title() != "Notebook"
    page.evaluate("() => Promise.all([...document.images].map(i => { i.loading = 'eager'; return i.decode(); }))")
    images = page.evaluate("() => [...document.images].map(i => [i.getAttribute('src'), i.naturalWidth, i.alt])")
    assert len(images) == len(_manifest(built)["figures"])
    for src, width, alt in images:
        assert width > 0, f"{src} did not decode"
        assert alt and len(alt) > 20, f"{src} has no real alt text"
    links = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    pages = []
    for href in links:
        url = urlparse(href)
        assert url.scheme == "file", f"the index links off the machine: {href}"
        target = Path(unquote(url.path))
        assert target.is_file(), f"broken link: {href}"
        if target.suffix == ".html":
            pages.append(target)
    assert len(pages) >= 10, "every notebook's page is linked"
    for target in sorted(set(pages)):
        page.goto(target.as_uri(), wait_until="load")
        assert page.title() and page.title() != "Notebook", f"{target.name} has no real title"
        broken = page.evaluate("() => [...document.images].filter(i => i.complete && i.naturalWidth === 0).length")
        assert broken == 0, f"{target.name}: an image did not decode"


def test_every_claimreview_has_the_properties_the_guidelines_require(built):
    from helpers.facts import verdicts
    from helpers.publish.claimreview import missing_properties

    reviews = json.loads((built / "reports" / "figures" / "claimreview.jsonld").read_text(encoding="utf-8"))
    with open(built / "data" / "claims.csv", encoding="utf-8", newline="") as fh:
        import csv

        claims = {r["id"]: r for r in csv.DictReader(fh)}
    with open(built / "data" / "reviews.csv", encoding="utf-8", newline="") as fh:
        settled = {r["item_id"]: r["settled_on"] for r in csv.DictReader(fh) if r["item_table"] == "claims"}
    home = json.loads((built / "data" / "datapackage.json").read_text(encoding="utf-8"))["homepage"]
    assert urlparse(home).scheme in ("http", "https") and home.endswith("/")
    assert len(reviews) == len(claims)
    for r in reviews:
        assert r["@context"] == "https://schema.org" and r["@type"] == "ClaimReview"
        assert not missing_properties(r), r["url"]
        claim = claims[r["url"].rsplit("#", 1)[1]]
        assert r["claimReviewed"] == claim["quote"]
        rating = r["reviewRating"]
        assert rating["@type"] == "Rating" and rating["worstRating"] == 1 and rating["bestRating"] == 5
        if verdicts.rating(claim["verdict"]) is not None:
            assert rating["ratingValue"] == verdicts.rating(claim["verdict"])
        else:
            assert "ratingValue" not in rating, "unverifiable, not found, record incomplete: not rated on the truth scale"
        assert r["url"] == f"{home}claims.html#{claim['id']}", "each review's absolute address is its claim's section"
        assert r["itemReviewed"]["@type"] == "Claim" and urlparse(r["itemReviewed"]["appearance"]["url"]).scheme == "https"
        assert r["datePublished"] == settled[claim["id"]], "a review is dated by the day its verdict was settled"
        author = r["itemReviewed"].get("author", {}).get("name", "")
        assert "not stated" not in author.lower(), "the claim's author is named or left out, never a placeholder"


def test_the_index_opens_on_the_findings_and_shows_the_figures_in_reading_order(built):
    import csv

    page = (built / "reports" / "index.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings[0] == "What the collection found", headings
    with open(built / "data" / "claims.csv", encoding="utf-8", newline="") as fh:
        contradicted = [r["id"] for r in csv.DictReader(fh) if r["verdict"] == "contradicted"]
    findings = page.split("<h2>Notebooks</h2>")[0]
    assert contradicted and all(f'href="claims.html#{i}"' in findings for i in contradicted)
    with open(built / "data" / "plans.csv", encoding="utf-8", newline="") as fh:
        assert all(f'href="claims.html#{r["id"]}"' in findings for r in csv.DictReader(fh))
    notebooks = re.findall(r'<p class="nb">From <a href="notebooks/([^"]+)\.html"', page)
    assert notebooks == sorted(notebooks) and len(notebooks) == len(_manifest(built)["figures"]), "reading order"
    for f in _manifest(built)["figures"]:
        assert f'<a href="{f["files"]["svg"]["path"]}"' in page, f"{f['name']}: the gallery opens the SVG"


def test_every_notebook_page_links_back_to_the_index_and_on_to_its_neighbours(built):
    pages = sorted((built / "reports" / "notebooks").glob("*.html"))
    assert len(pages) >= 14
    for i, p in enumerate(pages):
        html = p.read_text(encoding="utf-8")
        navs = re.findall(r'<nav class="collection"[^>]*>(.*?)</nav>', html, flags=re.S)
        assert len(navs) == 1, f"{p.name}: {len(navs)} navigation bars"
        assert 'href="../index.html"' in navs[0]
        assert (i == 0) or f'href="{pages[i - 1].name}" rel="prev"' in navs[0], p.name
        assert (i == len(pages) - 1) or f'href="{pages[i + 1].name}" rel="next"' in navs[0], p.name


def test_every_page_of_the_collection_meets_wcag_2_aa_in_chromium(built, offline_page):
    """The front page, the claims page and every notebook's page, checked in the browser by axe-core: no WCAG 2 A or
    AA violation (contrast, names, structure) and one main landmark each."""
    from conftest import accessibility_problems

    reports = built / "reports"
    pages = [reports / "index.html", reports / "claims.html", *sorted((reports / "notebooks").glob("*.html"))]
    failures = {}
    for page in pages:
        offline_page.goto(page.as_uri())
        problems = accessibility_problems(offline_page)
        if problems:
            failures[page.name] = problems
    assert not failures, failures
