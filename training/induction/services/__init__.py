"""Induction operations: opening inductions, self-study, trainers' records, progress, clearance,
programmes, yearly re-training hours and the answers to the quiz engine's signals."""
