"""The ``kb`` blueprint: reading pages, 我的岗位, and authoring and review pages."""

from kb.views import editing, images, mine, reading  # noqa: F401  (routes attach to the blueprint)
from kb.views.common import bp

__all__ = ["bp"]
