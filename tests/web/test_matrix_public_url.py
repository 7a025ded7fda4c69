"""The matrix pages build their absolute links (oEmbed discovery, canonical) from PUBLIC_URL,
as the pair pages do, so a forged Host header never reaches them (issue #14's poisoning item)."""

from bs4 import BeautifulSoup

from tests.web.test_many_api import BODY
from webapp import create_app

PUBLIC = "https://coverdiff.example.org"
EVIL = "evil.example"


def test_matrix_links_come_from_the_public_url_not_the_host(tmp_path):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "m.sqlite3"), "PUBLIC_URL": PUBLIC})
    client = app.test_client()
    cid = client.post("/api/comparisons", json=BODY).get_json()["id"]
    page = client.get(f"/m/{cid}", headers={"Host": EVIL}).get_data(as_text=True)
    embed = client.get(f"/embed/m/{cid}", headers={"Host": EVIL}).get_data(as_text=True)
    discovery = BeautifulSoup(page, "html.parser").select_one('link[type="application/json+oembed"]')["href"]
    canonical = BeautifulSoup(embed, "html.parser").select_one('link[rel="canonical"]')["href"]
    assert discovery.startswith(f"{PUBLIC}/oembed?") and EVIL not in page
    assert canonical == f"{PUBLIC}/m/{cid}" and EVIL not in embed
