"""Induction has no commands of its own: inductions open from org's signals, programmes on the site."""
