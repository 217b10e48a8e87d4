"""Records neither send nor receive signals: they read what the other training rooms stored."""
