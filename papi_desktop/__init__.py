"""PAPI Desktop: an offline tool for Vietnamese communes and their supervising office.

It keeps the PAPI task framework checklist, the public-disclosure register with
legally computed deadlines, prints Decree 30 documents and syncs by USB stick.
"""

__version__ = "0.1.0"
APP_NAME = "PAPI Desktop"
APP_SLUG = "papi-desktop"
