"""What a reader sees first: splits and merges named, identical paragraphs quiet, columns
that can be told apart, and a warning when two documents share almost nothing."""

from bs4 import BeautifulSoup

LONG = ("The council voted on Monday to close the old bridge for repairs. Engineers had warned for years that "
        "its steel was failing. The work will take eight months and cost 12 million euros.")
SPLIT = ["The council voted on Monday to close the old bridge for repairs. Engineers had warned for years that "
         "its steel was failing.", "The work will take eight months and cost 12 million euros."]
SHARED = "The mayor said the decision was difficult but necessary for everyone who crosses the river."


def soup(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def create(client, left: dict, right: dict) -> dict:
    response = client.post("/api/comparisons", json={"left": left, "right": right})
    assert response.status_code in (200, 201)
    return response.get_json()


def test_a_split_paragraph_says_so_in_the_view_and_the_json(client):
    doc = create(client, {"text": f"{LONG}\n\n{SHARED}"}, {"text": "\n\n".join([*SPLIT, SHARED])})
    split = next(r for r in doc["rows"] if r["left"] == [0])
    assert split["shape"] == "split" and split["right"] == [0, 1]
    assert all(r["shape"] == "one" for r in doc["rows"] if r is not split)
    page = soup(client.get(doc["url"]))
    row = page.select_one('[data-row-shape="split"]')
    assert row is not None and row["data-row-index"] == str(doc["rows"].index(split))
    assert "Split into 2" in row.select_one('[data-testid="shape-note"]').get_text()
    merged = create(client, {"text": "\n\n".join([*SPLIT, SHARED])}, {"text": f"{LONG}\n\n{SHARED}"})
    row = soup(client.get(merged["url"])).select_one('[data-row-shape="merge"]')
    assert "Merged from 2" in row.select_one('[data-testid="shape-note"]').get_text()


def test_identical_paragraphs_carry_no_shared_passage_marks_but_changed_ones_do(client):
    doc = create(client, {"text": f"{SHARED}\n\n{LONG}"}, {"text": f"{SHARED}\n\n{LONG.replace('Monday', 'Tuesday')}"})
    page = soup(client.get(doc["url"]))
    same = page.select('[data-row-kind="same"]')
    assert same and not any(r.select("mark") for r in same)
    edited = page.select_one('[data-row-kind="edited"]')
    assert edited.select("del.hl, ins.hl") and not edited.select("mark")  # the edit is all that is marked


def test_the_two_columns_never_carry_the_same_label(client):
    same_outlet = create(client, {"text": LONG, "source": "Wire", "title": "Bridge to close for repairs"},
                         {"text": SHARED, "source": "wire", "title": "Mayor defends bridge decision"})
    heads = soup(client.get(same_outlet["url"])).select(".doc-head .outlet")
    labels = [h.get_text(" ", strip=True) for h in heads]
    assert labels == ["Left Bridge to close for repairs", "Right Mayor defends bridge decision"]
    nothing = create(client, {"text": LONG}, {"text": LONG + " More."})
    labels = [h.get_text(" ", strip=True) for h in soup(client.get(nothing["url"])).select(".doc-head .outlet")]
    assert labels == ["Left Left", "Right Right"]


def test_documents_that_share_almost_nothing_are_flagged(client):
    apart = create(client, {"text": LONG}, {"text": "Rain is expected across the north on Sunday, forecasters said."})
    note = soup(client.get(apart["url"])).select_one('[data-testid="unrelated-note"]')
    assert note is not None and "may not be about the same event" in note.get_text()
    close = create(client, {"text": f"{LONG}\n\n{SHARED}"}, {"text": "\n\n".join([*SPLIT, SHARED])})
    assert soup(client.get(close["url"])).select_one('[data-testid="unrelated-note"]') is None


def test_a_one_sided_row_shows_similarity_zero_and_an_empty_reason_list(client):
    doc = create(client, {"text": f"{LONG}\n\n{SHARED}"}, {"text": SHARED})
    index = next(i for i, r in enumerate(doc["rows"]) if r["kind"] == "left_only")
    detail = soup(client.get(f"{doc['url']}/rows/{index}"))
    assert detail.select_one('[data-testid="row-similarity"]').get_text() == "0.00"
    assert detail.select_one('[data-testid="row-reasons"]').select("li") == []


UNSURE_LEFT = ("The court ruled on Tuesday that the privacy law applies to every website in the country, judges "
               "said in Paris.\n\nSign up for our daily newsletter\n\nThe ruling follows a complaint filed in 2022 by "
               "a consumer group about tracking and advertising online.")
UNSURE_RIGHT = ("The court ruled on Tuesday that the privacy law applies to every website, judges said.\n\n"
                "The ruling follows a complaint filed in 2022 by a consumer group about online tracking.")


def test_an_unsure_removal_is_shown_dimmed_in_place_and_listed_with_its_confidence(client):
    doc = create(client, {"text": UNSURE_LEFT}, {"text": UNSURE_RIGHT})
    removed = doc["left"]["removed"]
    assert [(r["text"], r["position"]) for r in removed] == [("Sign up for our daily newsletter", 1)]
    assert 0 <= removed[0]["confidence"] < 0.6
    page = soup(client.get(doc["url"]))
    rows = page.select("#rows > .row:not(.row-head)")
    unsure = page.select_one('[data-testid="unsure-removed"]')
    assert unsure["data-unsure-side"] == "left" and "Possibly page furniture" in unsure.get_text()
    # in place: after the row of left paragraph 0, before the row of left paragraph 1
    place = rows.index(unsure)
    assert rows[place - 1].select_one('[data-side="left"]')["data-paragraph-index"] == "0"
    assert rows[place + 1].select_one('[data-side="left"]')["data-paragraph-index"] == "1"
    assert unsure.get("data-row-kind") is None
    panel = soup(client.get(f"{doc['url']}/removed?side=left")).select('[data-testid="removed-left"] li')
    assert len(panel) == 1  # the removed panel still lists it
    filtered = soup(client.get(f"{doc['url']}?show=changed"))
    assert filtered.select_one('[data-testid="unsure-removed"]') is None  # only among all rows


def test_keep_it_sends_the_put_back_form_and_the_block_returns(client):
    doc = create(client, {"text": UNSURE_LEFT}, {"text": UNSURE_RIGHT})
    keep = soup(client.get(doc["url"])).select_one('[data-testid="unsure-keep"]')["hx-get"]
    form = soup(client.get(keep, headers={"HX-Request": "true"})).select_one('[data-testid="unsure-keep-form"]')
    assert form["hx-trigger"] == "load"
    data = {i["name"]: i["value"] for i in form.select("input")}
    response = client.post(form["hx-post"], data=data)
    assert response.status_code == 303
    kept = soup(client.get(response.headers["Location"]))
    texts = [p.get_text() for p in kept.select('[data-side="left"][data-paragraph-index]')]
    assert "Sign up for our daily newsletter" in texts
    assert kept.select_one('[data-testid="unsure-removed"]') is None


def test_a_paragraph_also_reported_in_another_row_links_to_that_row(client, seed_sources):
    left, right = seed_sources
    doc = create(client, {"text": left.content}, {"text": right.content})
    assert doc["links"], "the seed pair has facts one side spreads over several paragraphs"
    page = soup(client.get(doc["url"]))
    rows_of_right = {j: i for i, r in enumerate(doc["rows"]) for j in r["right"]}
    for link in doc["links"]:
        here = next(i for i, r in enumerate(doc["rows"]) if link["left"] in r["left"])
        there = rows_of_right[link["right"]]
        if here == there:
            continue
        notes = page.select(f'#row-{here} [data-testid="also-in"] a[data-row-link="{there}"]')
        assert notes, (link, here, there)
        assert f"¶\u00a0{link['right'] + 1}" in notes[0].get_text()
        target = page.select_one(f'#row-{there} [data-side="right"][data-paragraph-index="{link["right"]}"]')
        assert target is not None


NEAR = [f"Paragraph {n}: the board met on Monday and approved budget line {n * 3} without debate." for n in range(12)]


def near_identical(client) -> dict:
    right = [*NEAR]
    right[5] = right[5].replace("Monday", "Tuesday")
    return create(client, {"text": "\n\n".join(NEAR)}, {"text": "\n\n".join(right)})


def test_runs_of_identical_paragraphs_collapse_and_the_edit_stays_in_view(client):
    doc = near_identical(client)
    page = soup(client.get(doc["url"]))
    runs = page.select('[data-testid="same-run"]')
    assert [(r["data-first-row"], r["data-rows"]) for r in runs] == [("0", "5"), ("6", "6")]
    assert "5 identical paragraphs" in runs[0].get_text()
    assert [r["data-row-index"] for r in page.select("[data-row-index]")] == ["5"]
    assert page.select_one('[data-row-index="5"]')["data-row-kind"] == "edited"


def test_a_collapsed_run_opens_in_place_and_at_its_own_url(client):
    doc = near_identical(client)
    url = soup(client.get(doc["url"])).select_one('[data-testid="same-run-toggle"]')["hx-get"]
    rows = soup(client.get(url, headers={"HX-Request": "true"}))
    assert [r["data-row-index"] for r in rows.select("[data-row-index]")] == ["0", "1", "2", "3", "4"]
    assert all(r["data-row-kind"] == "same" for r in rows.select("[data-row-index]"))
    assert rows.select_one("html") is None
    page = soup(client.get(url))
    indexes = [r["data-row-index"] for r in page.select("[data-row-index]")]
    assert indexes[:6] == ["0", "1", "2", "3", "4", "5"]
    for bad in (f"{doc['url']}/same/5?to=5", f"{doc['url']}/same/0?to=99", f"{doc['url']}/same/\u0661"):
        assert client.get(bad).status_code == 404, bad


def test_reasons_quote_the_text_as_written_numbers_and_names_first(client):
    doc = create(client, {"text": "Minister Jane Okafor said on Monday that 4,500 soldiers would reach the "
                                  "Kursk region by the end of the month, officials in Geneva confirmed."},
                 {"text": "Officials in Geneva said 4,500 soldiers would reach the Kursk region by the end "
                          "of the month, according to Minister Jane Okafor."})
    index = next(i for i, r in enumerate(doc["rows"]) if r["left"] and r["right"])
    detail = soup(client.get(f"{doc['url']}/rows/{index}"))
    items = [(li.select_one(".reason-kind").get_text(), li.get_text()) for li in detail.select('[data-testid="row-reasons"] li')]
    kinds = [k for k, _ in items]
    assert kinds[0] == "Number" and "4,500" in items[0][1]
    assert kinds.index("Name") < kinds.index("Shared passage") if "Shared passage" in kinds else True
    names = [text.removeprefix("Name").strip() for k, text in items if k == "Name"]
    assert names and all(n[0].isupper() for n in names), names  # "Okafor", not "okafor"
    passages = [text.removeprefix("Shared passage").strip() for k, text in items if k == "Shared passage"]
    assert all(len(p.rstrip("…").split()) <= 12 for p in passages)
    assert "4,500 soldiers would reach the Kursk region by the end of the…" in passages  # 12 words, then …


def test_a_stored_iso_date_reads_as_a_date(client):
    page = ("<html><head><meta property='article:published_time' content='2024-10-31T12:00:00Z'></head><body>"
            "<article><h1>Bridge to close</h1><p>" + LONG + "</p><p>" + SHARED + "</p></article></body></html>")
    doc = create(client, {"html": page}, {"text": SHARED})
    assert doc["left"]["dateline"] == "2024-10-31T12:00:00Z"  # stored as the page gives it
    date = soup(client.get(doc["url"])).select_one('[data-testid="left-date"]')
    assert date["datetime"] == "2024-10-31T12:00:00Z" and date.get_text() == "31 October 2024, 12:00 UTC"
