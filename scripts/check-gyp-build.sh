#!/usr/bin/env bash
# Proves binding.gyp still builds the CPU addon with node-gyp, in a scratch
# copy so the cmake-js build in build/ is left alone; then loads it and runs
# one kernel.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$root/binding.gyp" "$root/native" "$root/scripts" "$root/package.json" "$work/"
ln -s "$root/node_modules" "$work/node_modules"
cd "$work"
nodedir=${npm_config_nodedir:-$(dirname "$(dirname "$(command -v node)")")}
"$root/node_modules/.bin/node-gyp" rebuild -j 2 --nodedir="$nodedir" >gyp.log 2>&1 || { tail -40 gyp.log; exit 1; }
node -e "
const a = require('./build/Release/prunas.node');
const x = new Float32Array([-1, 3, 9]), y = new Float32Array(3);
a.relu6Forward({ x, y });
if (y.join() !== '0,3,6') { console.error('node-gyp addon computed', y); process.exit(1); }
console.log('node-gyp build ok:', Object.keys(a).length, 'exports, vector path', a.buildInfo().vectorPath);
"
