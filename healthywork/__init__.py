"""healthywork: one place for coalitions that turn precarious work into healthy work."""

__version__ = "0.1.0"
