"""Icons and desktop files, shipped as package data (see pyproject.toml)."""
