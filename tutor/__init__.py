"""Container Tutor: learn containers in the terminal."""

__version__ = "0.1.0"
