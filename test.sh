#!/usr/bin/env bash
# Builds scoutfs and runs every test: unit, model, crash, kill -9, real FUSE mounts.
# FUSE tests need root, /dev/fuse and fusermount3; cluster tests make network namespaces with ip
# (sudo apt-get install -y fuse3 acl attr e2fsprogs iproute2).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
. ./scripts/env.sh
if ! command -v fusermount3 >/dev/null 2>&1; then
  echo "the FUSE tests need fusermount3: sudo apt-get install -y fuse3 acl attr e2fsprogs" >&2
  exit 1
fi
exec mvn -B -ntp verify "$@"
