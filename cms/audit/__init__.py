"""The guide audit (指南要素完整度): how complete and consistent each guide is, before a
provincial assessment finds out.

- `rules`: one function per rule over the standard elements, each returning findings;
- `scoring`: a guide's score (weighted share of the rules passed) and a department's (mean);
- `links`: the scheduled check of the guides' external links, whose stored outcome the
  `links` rule reads.

Read by the admin reports (cms/admin_views.py), the editor's panel (cms/panels.py) and
`manage.py audit_guides`. docs/audit.md describes the rules and weights.
"""
