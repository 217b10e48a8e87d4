"""Assignments have no commands of their own: study is assigned on the site or by kb's revisions."""
