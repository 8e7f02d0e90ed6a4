#!/usr/bin/env bash
# Install the pinned packages of package.json from the npm registry and copy the files the app
# serves, with each package's licence, into static/vendor/<name>/. The result is committed, so
# running the app never needs npm or a CDN.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$work/"
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts --silent)
nm="$work/node_modules"

copy() {  # copy <package dir> <target dir> <files...>: the files and the package's licence
  local pkg="$1" target="$here/$2"; shift 2
  rm -rf "$target"; mkdir -p "$target"
  for f in "$@"; do cp -r "$nm/$pkg/$f" "$target/"; done
  cp "$nm/$pkg"/*LICEN[CS]E* "$target/"
  node -e "console.log(require('$nm/$pkg/package.json').version)" > "$target/VERSION"
}

copy htmx.org htmx dist/htmx.min.js
copy leaflet leaflet dist/leaflet.js dist/leaflet.css dist/images
copy @geoman-io/leaflet-geoman-free leaflet-geoman dist/leaflet-geoman.js dist/leaflet-geoman.css
copy leaflet.markercluster leaflet-markercluster dist/leaflet.markercluster.js dist/MarkerCluster.css \
  dist/MarkerCluster.Default.css
copy uplot uplot dist/uPlot.iife.min.js dist/uPlot.min.css
# axe-core is for the accessibility checks of the browser tests, not served by the app.
mkdir -p "$here/../../tests/browser/vendor"
cp "$nm/axe-core/axe.min.js" "$nm/axe-core/LICENSE" "$here/../../tests/browser/vendor/"
echo "vendored into $here"
