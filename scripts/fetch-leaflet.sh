#!/usr/bin/env bash
# Vendors Leaflet's dist files into the hub (the console map is served by the hub itself, never from a CDN).
# Reproduces src/Hub.Host/wwwroot/lib/leaflet from the npm registry with the ordinary npm client.
# Usage: scripts/fetch-leaflet.sh [version]   (default 1.9.4)
set -euo pipefail
version="${1:-1.9.4}"
expected_sha256="84c65a256e50657896f54c33bd857b6849ebe94c817803be818bf32a3dde0b77" # leaflet-1.9.4.tgz
root="$(cd "$(dirname "$0")/.." && pwd)"
target="$root/src/Hub.Host/wwwroot/lib/leaflet"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack "leaflet@$version" --silent >/dev/null)
tarball="$work/leaflet-$version.tgz"
if [ "$version" = "1.9.4" ]; then
  echo "$expected_sha256  $tarball" | sha256sum -c - >/dev/null
fi
tar -xzf "$tarball" -C "$work"

rm -rf "$target"
mkdir -p "$target/images"
cp "$work/package/dist/leaflet.js" "$work/package/dist/leaflet.css" "$target/"
cp "$work/package/dist/images/"*.png "$target/images/"
cp "$work/package/LICENSE" "$target/LICENSE"
printf 'leaflet %s from the npm registry (npm pack leaflet@%s), sha256 of the tarball %s\n' \
  "$version" "$version" "$(sha256sum "$tarball" | cut -d' ' -f1)" > "$target/VERSION"
echo "Leaflet $version vendored into $target"
