"""Calibration of raters: calibration vignettes, their gold levels, and how raters agree."""
