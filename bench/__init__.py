"""`make bench`: the portal under load, served as production serves it, against a reference page.

`python -m bench` fills a throw-away PostgreSQL database through the real services and workflow (fill.py),
serves it with gunicorn under bench/settings.py, checks each page of pages.py once, loads it with wrk, and
writes bench/results/latest.json (see __main__.py for the steps and the environment variables).
"""
