#!/usr/bin/env bash
# Re-create clusterwatch/web/static/vendor/* from the npm registry (pinned versions).
# Usage: scripts/vendor_assets.sh            (writes into the package)
#        VENDOR_DIR=/some/dir scripts/vendor_assets.sh
# Needs: npm, tar, sha256sum. See clusterwatch/web/static/vendor/VENDOR.md.
set -euo pipefail

ECHARTS=5.6.0
HTMX=2.0.11
ECHARTS_MAPS=4.9.0   # last echarts release that shipped map/json/*
SWAGGER=5.35.0       # the OpenAPI page at /docs

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${VENDOR_DIR:-$ROOT/clusterwatch/web/static/vendor}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# npm pack checks each tarball against the registry's integrity hash.
(cd "$TMP" && npm pack --silent "echarts@$ECHARTS" "htmx.org@$HTMX" "echarts@$ECHARTS_MAPS" "swagger-ui-dist@$SWAGGER" >/dev/null)

extract() {  # extract <tarball> <subdir> <member...>  (members relative to package/)
  local tgz="$1" sub="$2"; shift 2
  mkdir -p "$TMP/$sub"
  tar -xzf "$TMP/$tgz" -C "$TMP/$sub" "${@/#/package/}"
}
extract "echarts-$ECHARTS.tgz"      e5  dist/echarts.min.js LICENSE NOTICE licenses/LICENSE-d3
extract "htmx.org-$HTMX.tgz"        hx  dist/htmx.min.js LICENSE
extract "echarts-$ECHARTS_MAPS.tgz" e4  map/json/province/guangdong.json LICENSE
extract "swagger-ui-dist-$SWAGGER.tgz" sw swagger-ui-bundle.js swagger-ui.css LICENSE

mkdir -p "$DEST/echarts" "$DEST/htmx" "$DEST/maps" "$DEST/swagger-ui"
cp "$TMP/e5/package/dist/echarts.min.js" "$TMP/e5/package/LICENSE" "$TMP/e5/package/NOTICE" \
   "$TMP/e5/package/licenses/LICENSE-d3" "$DEST/echarts/"
cp "$TMP/hx/package/dist/htmx.min.js" "$TMP/hx/package/LICENSE" "$DEST/htmx/"
cp "$TMP/e4/package/map/json/province/guangdong.json" "$TMP/e4/package/LICENSE" "$DEST/maps/"
cp "$TMP/sw/package/swagger-ui-bundle.js" "$TMP/sw/package/swagger-ui.css" "$TMP/sw/package/LICENSE" "$DEST/swagger-ui/"

# Expected sha256 (must match VENDOR.md); fails loudly on any drift.
(cd "$DEST" && sha256sum -c --quiet) <<'SUMS'
bf4a223524e40b77c304bec67e1222cf551f14880cf42c69dc046558e11c07b1  echarts/echarts.min.js
634293835b43a6dd2094fa39182a3d9a6b9ca43b7fdb9ac354e8037af2a3093a  echarts/LICENSE
fa99ac3af859d0e13166906dc53a73ad34a08898da7e8ae83407275496e9e30c  echarts/NOTICE
e1211892da0b0e0585b7aebe8f98c1274fba15bafe47fa1f4ee8a7a502c06304  echarts/LICENSE-d3
d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717  htmx/htmx.min.js
d3d2456f76414f2456104660ebd65aff1c04cd7966b942bdabd63f3cdb316a38  htmx/LICENSE
e53cd42dfa62a36b1b4db89ea9920c253b6211f25f379cfe5e189bfbcc43813c  maps/guangdong.json
512b2001a3a2ddd456a08d1392d5831da992daaf18b10e76f9b4a5b4ae7fe96c  maps/LICENSE
e6a898692f2d768e807c3ba4626068a69a2c5dd960dd6c76f3e4d3a3de180af2  swagger-ui/swagger-ui-bundle.js
5ed08757e53da3e026d6cbecc61fe5d43585c9560b302d534ad56692519a273d  swagger-ui/swagger-ui.css
cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30  swagger-ui/LICENSE
SUMS
echo "vendored assets OK in $DEST"
