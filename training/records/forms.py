"""Records have no forms: their pages are read-only and chosen by the URL alone."""
