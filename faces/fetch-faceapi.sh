#!/usr/bin/env bash
# Fetches the npm package @vladmandic/face-api@1.7.15 (weights, sources, demo photos) into the project's
# git-ignored faceapi/ folder, where `./siamese convert faceapi` and the faces parity tests look for it.
# Idempotent: a tarball already there with the expected checksum is kept. Never commit the tarball.
# With --if-npm (how the faces module's build calls it) a machine without npm is not an error: the
# script says so in one line and the tests that need the tarball report themselves skipped.
set -euo pipefail

if_npm=false
[[ "${1:-}" == "--if-npm" ]] && if_npm=true

VERSION=1.7.15
TARBALL=vladmandic-face-api-${VERSION}.tgz
# sha1 published by the npm registry for @vladmandic/face-api@1.7.15 (npm view @vladmandic/face-api@1.7.15 dist.shasum).
SHA1=10cddf5c405f6f52f37605c9ee28c91ac6a23ead

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${ROOT}/faceapi"
mkdir -p "${DIR}"

if [[ -f "${DIR}/${TARBALL}" ]] && echo "${SHA1}  ${DIR}/${TARBALL}" | sha1sum --check --status; then
  echo "faceapi: ${DIR}/${TARBALL} already present"
  exit 0
fi

if ! command -v npm >/dev/null; then
  if $if_npm; then
    echo "faceapi: npm not found: the face-api tests will be skipped (install npm, e.g. apt-get install npm)"
    exit 0
  fi
  echo "faceapi: npm is required (apt-get install npm)" >&2
  exit 1
fi
rm -f "${DIR}/${TARBALL}"
(cd "${DIR}" && npm pack --silent "@vladmandic/face-api@${VERSION}" >/dev/null)
if ! echo "${SHA1}  ${DIR}/${TARBALL}" | sha1sum --check --status; then
  echo "faceapi: checksum mismatch for ${DIR}/${TARBALL}" >&2
  exit 1
fi
echo "faceapi: fetched ${DIR}/${TARBALL}"
