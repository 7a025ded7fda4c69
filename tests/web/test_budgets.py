"""Past its time budget a comparison is still correct, only coarser, and says so."""

from bs4 import BeautifulSoup

from webapp import create_app

LEFT = "\n\n".join(f"Paragraph {k} says the council met on Monday to vote on budget item {k}." for k in range(30))
RIGHT = LEFT.replace("Monday", "Tuesday")


def test_over_budget_comparison_is_complete_and_says_it_is_coarse(tmp_path):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "b.sqlite3"),
                      "COMPARE_TIMEOUT_S": 0.0})
    client = app.test_client()
    doc = client.post("/api/comparisons", json={"left": {"text": LEFT}, "right": {"text": RIGHT}}).get_json()
    assert doc["stats"]["coarse"] is True
    for row in doc["rows"]:
        left = "".join(o["text"] for o in row["diff"] if o["op"] != "insert")
        right = "".join(o.get("right_text", o["text"]) for o in row["diff"] if o["op"] != "delete")
        assert left == "\n\n".join(doc["left"]["paragraphs"][i]["text"] for i in row["left"])
        assert right == "\n\n".join(doc["right"]["paragraphs"][j]["text"] for j in row["right"])
    page = BeautifulSoup(client.get(doc["url"]).get_data(as_text=True), "html.parser")
    assert "time budget" in page.select_one('[data-testid="coarse-note"]').get_text()


def test_within_budget_there_is_no_coarse_note(client):
    doc = client.post("/api/comparisons", json={"left": {"text": LEFT}, "right": {"text": RIGHT}}).get_json()
    assert doc["stats"]["coarse"] is False
    page = BeautifulSoup(client.get(doc["url"]).get_data(as_text=True), "html.parser")
    assert page.select_one('[data-testid="coarse-note"]') is None
