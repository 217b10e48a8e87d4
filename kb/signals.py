"""Signals the knowledge base sends (search indexing and training subscribe to them)."""

from blinker import Namespace

_signals = Namespace()

# sender: the Document; kwargs: revision (now published), previous (the revision it
# superseded, or None), now (datetime). Sent inside the publishing transaction.
revision_published = _signals.signal("revision-published")
# sender: the Document; kwargs: now. Sent when a document is archived (leaves search and lists).
document_archived = _signals.signal("document-archived")
