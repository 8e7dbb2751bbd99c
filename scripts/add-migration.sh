#!/usr/bin/env bash
# Adds a migration with the same name to both migration sets (SQLite and PostgreSQL).
# Usage: scripts/add-migration.sh AddCommentReports
set -euo pipefail
name="${1:?usage: scripts/add-migration.sh MigrationName}"
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for provider in Sqlite Postgres; do
  dotnet ef migrations add "$name" \
    --project src/Broadsheet \
    --context "${provider}BroadsheetDbContext" \
    --output-dir "Infrastructure/Data/Migrations/$provider"
done
echo "Added migration $name for SQLite and PostgreSQL."
