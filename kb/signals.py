"""Signals the knowledge base sends (search indexing and training subscribe to them)."""

from blinker import Namespace

_signals = Namespace()

# sender: the Document; kwargs: revision (now published), previous (the revision it
# superseded, or None), now (datetime). Sent inside the publishing transaction.
revision_published = _signals.signal("revision-published")
# sender: the Document; kwargs: now. Sent when a document is archived (leaves search and lists).
document_archived = _signals.signal("document-archived")
# sender: the app; kwargs: superseded (slug → kb.content_check.Superseded: documents 已废止/已修订).
# Receivers return kb.content_check.Finding objects for things outside content/ that still use them
# as current (training programmes). ``flask content check`` fails on any.
content_check_requested = _signals.signal("content-check-requested")
