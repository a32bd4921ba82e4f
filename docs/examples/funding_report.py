#!/usr/bin/env python3
"""Active partnerships and the funding report for a year, as an API client.

    SAMVERKAN_URL=http://127.0.0.1:8080/api/v1 CLIENT_ID=… CLIENT_SECRET=… \
    python3 funding_report.py 2015   # a year of the demo data
"""
import csv
import io
import os
import sys
import time

import requests

BASE = os.environ.get("SAMVERKAN_URL", "http://127.0.0.1:8080/api/v1")
YEAR = int(sys.argv[1]) if len(sys.argv) > 1 else 2015
session = requests.Session()
expires = 0.0


def sign_in():
    """A token with client credentials (HTTP Basic), narrowed to what the script reads."""
    global expires
    res = requests.post(BASE + "/auth/token", timeout=30,
                        auth=(os.environ["CLIENT_ID"], os.environ["CLIENT_SECRET"]),
                        data={"grant_type": "client_credentials", "scope": "partnerships:read reports:read"})
    res.raise_for_status()
    tok = res.json()
    session.headers["Authorization"] = "Bearer " + tok["access_token"]
    expires = time.monotonic() + tok["expires_in"] - 30


def get(path, **params):
    """GET with retries on 429 and 503 after Retry-After seconds; a problem+json error raises."""
    for _ in range(5):
        if time.monotonic() > expires:
            sign_in()
        res = session.get(BASE + path, params=params, timeout=60)
        if res.status_code not in (429, 503):
            break
        time.sleep(int(res.headers.get("Retry-After", "1")))
    if res.status_code >= 400:
        problem = res.json()  # application/problem+json
        raise RuntimeError(f"{res.status_code} {problem['code']}: {problem.get('detail') or problem['title']}"
                           f" (request_id {problem.get('request_id')})")
    return res


# Every active partnership in Göteborg, 200 a page (the most a page holds).
partnerships, params = [], {"status": "active", "municipality": "1480", "limit": 200}
while True:
    page = get("/partnerships", **params).json()
    partnerships += page["items"]
    if not page.get("next_cursor"):
        break
    params["cursor"] = page["next_cursor"]
print(len(partnerships), "active partnerships")

# The funding report as CSV: one table per request (by_source, by_district or co_financing).
res = get("/reports/funding", year=YEAR, format="csv", table="by_source")
for row in csv.DictReader(io.StringIO(res.content.decode("utf-8"))):
    print(f"{row['source']}\t{row['recipient']}\t{int(row['granted_ore'] or 0) // 100} kr")
