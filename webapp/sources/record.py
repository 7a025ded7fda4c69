"""What a comparison keeps of a fetch (no bytes): light enough for every module that shows one,
without the HTTP client that made it (webapp/sources/fetching.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class FetchRecord:
    """A fetch as stored with a comparison: the link, where it ended, its status and time."""

    url: str  # the link as given
    final_url: str  # after redirects
    status: int
    fetched_at: str  # ISO 8601, UTC
    content_type: str = ""

    @property
    def when(self) -> str:
        """The fetch time for people: '2 Dec 2026, 01:10:05 UTC'."""
        at = datetime.fromisoformat(self.fetched_at).astimezone(UTC)
        return f"{at.day} {at:%b %Y, %H:%M:%S} UTC"

    def as_dict(self) -> dict:
        return {"url": self.url, "final_url": self.final_url, "status": self.status,
                "fetched_at": self.fetched_at, "content_type": self.content_type}

    @classmethod
    def from_dict(cls, data: Mapping) -> FetchRecord:
        return cls(str(data["url"]), str(data["final_url"]), int(data["status"]), str(data["fetched_at"]),
                   str(data.get("content_type", "")))
