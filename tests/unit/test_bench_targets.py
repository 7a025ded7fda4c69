"""make bench's target lines: the verdict as issue #15 writes it, and the same target scaled to
the machine the bench runs on by the difflib process the issue quotes (0.90 s at 1 MB)."""

from bench.__main__ import targets


def _case(size: str, coverdiff_s: float, difflib_s: float | None = None) -> dict:
    case = {"size": size, "format": "text", "process": {"ok": True, "total_s": [coverdiff_s]}}
    if difflib_s is not None:
        case["difflib_process"] = {"ok": True, "total_s": [difflib_s]}
    return case


def test_a_machine_twice_as_slow_reads_the_absolute_targets_at_twice_the_limit():
    lines = targets([_case("seeds", 0.40), _case("1MB", 2.0, 1.80)], [], {"ok": True, "total_s": [0.05]})
    seeds = next(line for line in lines if "seeds" in line)
    assert seeds.startswith("- FAIL")  # as written: 0.40 s > 0.25 s
    assert seeds.endswith("scaled to this machine (<= 500 ms): PASS")
    assert any("here it took 1.80 s" in line and "2.00× as long" in line for line in lines)


def test_without_the_difflib_process_no_scaled_reading_is_printed():
    lines = targets([_case("seeds", 0.20)], [], None)
    assert next(line for line in lines if "seeds" in line) == (
        "- PASS  coverdiff compare of the seeds (whole process, --format html) <= 0.25 s: 200 ms")
    assert not any("scaled" in line for line in lines)


def test_a_stored_page_that_answered_errors_fails_the_scaled_reading_too():
    http = [{"scenario": "GET /c/<id>", "rps": 5000, "errors": 3, "clients": 50, "p99_ms": 10.0}]
    lines = targets([_case("1MB", 2.0, 0.90)], http, None)
    page = next(line for line in lines if "requests/s" in line)
    assert page.startswith("- FAIL") and page.endswith("scaled to this machine (>= 3,000 requests/s): FAIL")
