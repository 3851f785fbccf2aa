"""Django-free helpers."""
