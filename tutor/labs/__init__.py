"""Labs: checks against the real Docker engine, setup, reset, offline base images. No UI here."""
