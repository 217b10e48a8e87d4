"""Records keep no tables of their own: every figure is computed from induction, quiz and assignments."""
