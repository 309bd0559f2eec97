"""Demo content for a fictional centre, 示范市政务服务中心 (see `manage.py load_demo`).

- `data`: reference data (departments, hall zones and windows, themes, material catalogue, users);
- `catalogue`: the service items each department handles, the handling cases, the bundles;
- `texts`: policy documents, magazine issues and gallery captions;
- `builder`: creates all of it through Wagtail, idempotently (`reference`: users and reference
  data; `content`: page texts and the spreadsheets attached as forms and annexes);
- `bulk`: adds thousands of synthetic guides with bulk inserts, for benchmarks;
- `images`: placeholder photos, covers and flowcharts drawn with Pillow.

Every sentence here was written for this demo. Figures follow DOMAIN.md: 56 windows in 10
zones, most items answered on the spot, promised time limits about 90% below the legal ones.
"""
