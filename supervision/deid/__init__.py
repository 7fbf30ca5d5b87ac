"""Identifier scanner for vignettes: flags what may identify a client (HIPAA Safe Harbor).

from supervision.deid import scan
for finding in scan(text):
    print(finding.kind, finding.text, finding.explanation)
"""

from .findings import KINDS, Finding
from .scanner import scan

__all__ = ["KINDS", "Finding", "scan"]
