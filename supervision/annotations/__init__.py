"""Inline annotations anchored to the vignette text."""
