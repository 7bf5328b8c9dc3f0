#!/usr/bin/env bash
# Fetch the JavaScript libraries of `entente serve` from the npm registry and copy their built
# files, with their licences, into src/entente/web/static/vendor/. The copies are committed: the
# web app fetches nothing at run time. Run it again only to change a version (then commit).
#
#   uPlot 1.6.32          MIT         the time-series charts (overview, dyad, actor pages)
#   cytoscape 3.34.4      MIT         the actor network (network page)
#   swagger-ui-dist 5.35.0 Apache-2.0 the OpenAPI docs at /docs
set -euo pipefail
cd "$(dirname "$0")/.."
dest=src/entente/web/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent uplot@1.6.32 cytoscape@3.34.4 swagger-ui-dist@5.35.0 >/dev/null)
for tgz in "$work"/*.tgz; do
  mkdir -p "${tgz%.tgz}" && tar -xzf "$tgz" -C "${tgz%.tgz}"
done
mkdir -p "$dest"
cp "$work"/uplot-1.6.32/package/dist/uPlot.iife.min.js "$dest/uPlot.iife.min.js"
cp "$work"/uplot-1.6.32/package/dist/uPlot.min.css "$dest/uPlot.min.css"
cp "$work"/uplot-1.6.32/package/LICENSE "$dest/LICENSE.uPlot.txt"
cp "$work"/cytoscape-3.34.4/package/dist/cytoscape.min.js "$dest/cytoscape.min.js"
cp "$work"/cytoscape-3.34.4/package/LICENSE "$dest/LICENSE.cytoscape.txt"
cp "$work"/swagger-ui-dist-5.35.0/package/swagger-ui-bundle.js "$dest/swagger-ui-bundle.js"
# no source map is shipped: drop the comment that points the browser at one
sed '/sourceMappingURL=/d' "$work"/swagger-ui-dist-5.35.0/package/swagger-ui.css > "$dest/swagger-ui.css"
cat "$work"/swagger-ui-dist-5.35.0/package/LICENSE "$work"/swagger-ui-dist-5.35.0/package/NOTICE \
  > "$dest/LICENSE.swagger-ui.txt"
cp "$work"/swagger-ui-dist-5.35.0/package/swagger-ui-bundle.js.LICENSE.txt "$dest/LICENSE.swagger-ui-bundle.txt"
(cd "$dest" && sha256sum ./*.js ./*.css > SHA256SUMS)
echo "vendored into $dest:" && ls "$dest"
