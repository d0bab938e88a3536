"""Filings from EDGAR, kept on disk for `check` and `export`: nothing here prints.

``client.py`` asks EDGAR politely (a User-Agent naming the user, at most 10 requests a second shared by
every thread, backoff on 429 and 503, bounded sizes and times, https only); ``listing.py`` says which
filings a run wants (a company's submissions, accession numbers, a form in the quarterly full index);
``store.py`` keeps each full submission gzipped under ``<cik>/<accession>.txt.gz``, written whole or
not at all; ``run.py`` downloads what the store does not hold whole yet. docs/fetch.md documents it.
"""
