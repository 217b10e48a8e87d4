"""The knowledge base's pages (blueprint ``kb``, url prefix /kb): reading.py, editing.py, mine.py."""
