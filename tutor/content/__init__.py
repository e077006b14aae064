"""Content: models (pydantic), loading with located errors, the catalog. No UI here."""
