#!/usr/bin/env bash
# Re-create book/_vendor/mathjax: the part of MathJax 3 that the book needs to render math offline.
#
# The book's pages load MathJax from their own site (mathjax_path in _config.yml), not from a CDN,
# so the rendered HTML works without a network and the browser test (tests/test_browser.py) can
# check that every formula was typeset. This script fetches the npm package with `npm pack` and
# keeps only the combined TeX+MathML/CHTML component, its web fonts and the TeX extensions that it
# loads on demand (about 2 MB of the package's 24 MB). Run it to change the MathJax version.
set -euo pipefail
VERSION="${1:-3.2.2}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/book/_vendor/mathjax"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

(cd "$WORK" && npm pack --silent "mathjax@$VERSION" >/dev/null && tar xzf mathjax-*.tgz)
ES5="$WORK/package/es5"
rm -rf "$DEST"
mkdir -p "$DEST/output/chtml/fonts" "$DEST/input/tex"
cp "$WORK/package/LICENSE" "$DEST/LICENSE"
cp "$ES5/tex-mml-chtml.js" "$DEST/"
cp -r "$ES5/output/chtml/fonts/woff-v2" "$DEST/output/chtml/fonts/"
cp -r "$ES5/input/tex/extensions" "$DEST/input/tex/"
echo "MathJax $VERSION (npm package mathjax, es5 build): tex-mml-chtml.js, CHTML woff-v2 fonts, TeX extensions." \
  > "$DEST/VERSION"
du -sh "$DEST"
