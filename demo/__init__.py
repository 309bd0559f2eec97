"""The demo centre, 示范市政务服务中心: its web site (`demo.site`), a year of hall supervision data
(`demo.hall`) and the synthetic catalogues the benchmarks load (`manage.py load_demo`).

Demo content is a consumer of every app and nothing imports it: the apps stay free of
fictional data, and a centre can leave this app out of INSTALLED_APPS in production.
"""
