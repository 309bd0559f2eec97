"""The import toolkit: what every importer of a spreadsheet or a JSON file shares.

- files.py: which kind of file it is (CSV, XLSX, JSON; an old .xls refused), CSV in UTF-8,
  UTF-8 with BOM or GB18030 and XLSX sheets → rows, streamed
- cells.py: cell values → text, codes, integers, decimals, yes/no, choices, lists, addresses,
  dates and times, or `Invalid` with the reason
- problems.py: `Problem`, one line of a report (row, column, reason)
- transaction.py: `all_or_nothing`, one transaction per file
- writers.py: `bulk_writer`, many rows in one statement (insert, or upsert by natural key)

It knows no app: cms (the catalogue import), supervision (the hall's exports) and the demo
data use it, and it imports none of them.
"""
