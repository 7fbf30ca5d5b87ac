"""The scale benchmark of issue 13: a realistic world loaded in bulk, measured from outside.

``python -m tests.bench.scale seed|measure|load`` (the Makefile's ``bench`` and ``load``).
"""
