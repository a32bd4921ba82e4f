#!/usr/bin/env bash
# Pull the funding report for a year with curl and jq.
#   BASE_URL=http://127.0.0.1:8080 SAMVERKAN_USER=lasare@demo.samverkan.se SAMVERKAN_PASSWORD=samverkan-demo ./reports.sh 2015
set -euo pipefail
BASE_URL=${BASE_URL:-http://127.0.0.1:8080}
YEAR=${1:-2015}

TOKEN=$(curl -sf "$BASE_URL/api/v1/auth/token" \
  --data-urlencode grant_type=password \
  --data-urlencode "username=$SAMVERKAN_USER" \
  --data-urlencode "password=$SAMVERKAN_PASSWORD" | jq -r .access_token)

# Granted money per source in kronor, from the JSON report.
curl -sf -H "Authorization: Bearer $TOKEN" "$BASE_URL/api/v1/reports/funding?year=$YEAR" |
  jq -r '.tables.by_source | group_by(.source)[] | "\(.[0].source)\t\((map(.granted_ore // 0) | add) / 100) kr"'

# The same report as a spreadsheet, and one table as CSV.
curl -sf -H "Authorization: Bearer $TOKEN" -o "funding-$YEAR.xlsx" "$BASE_URL/api/v1/reports/funding?year=$YEAR&format=xlsx"
curl -sf -H "Authorization: Bearer $TOKEN" -H 'Accept: text/csv' -o "funding-$YEAR.csv" "$BASE_URL/api/v1/reports/funding?year=$YEAR"
echo "wrote funding-$YEAR.xlsx and funding-$YEAR.csv"
