"""Quiz engine: grading, exam drawing, sessions and spaced repetition. No UI here."""
