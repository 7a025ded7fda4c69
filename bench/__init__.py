"""`make bench`: coverdiff's speed and memory against difflib, measured in one run (issue #8)."""
