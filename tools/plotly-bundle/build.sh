#!/bin/sh
# Rebuilds static/plotly-dashboard.min.js from the pinned npm packages (package-lock.json).
# Run by hand when the Python plotly package moves to a new plotly.js (tests/test_chart_view.py
# says when); the result is committed, so neither `make run` nor CI needs Node.
# The esbuild options follow plotly.js's own esbuild-config.js (global = window, no AMD, es2016);
# maplibre's CSS, which core would pull in for map traces we do not register, is left out.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
version=$(node -p "require('plotly.js/package.json').version")
npx esbuild entry.js --bundle --minify --format=iife --target=es2016 \
  --define:global=window --define:define.amd=false --loader:.css=empty \
  --legal-comments=eof \
  --banner:js="/* plotly.js ${version}, traces scatter bar funnel heatmap, locale zh-CN: built by tools/plotly-bundle/build.sh. MIT licence: static/plotly-dashboard.LICENSE.txt */" \
  --outfile=../../static/plotly-dashboard.min.js
cp node_modules/plotly.js/LICENSE ../../static/plotly-dashboard.LICENSE.txt
