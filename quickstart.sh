#!/usr/bin/env bash
# Builds scoutfs and runs it on an embedded default: a volume file in build/quickstart.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
. ./scripts/env.sh

echo "== building (mvn package, tests skipped; ./test.sh runs them)"
mvn -B -q -ntp package -DskipTests

work=build/quickstart
mkdir -p "$work"
volume=$work/volume
rm -f "$volume"
truncate -s 4G "$volume"

echo "== scoutfs mkfs -Q 1 $volume"
bin/scoutfs mkfs -Q 1 "$volume"
echo
echo "== scoutfs print -S $volume"
bin/scoutfs print -S "$volume"
