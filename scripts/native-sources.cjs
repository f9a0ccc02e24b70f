// Lists the CPU sources of the addon for binding.gyp (gyp has no glob):
//   node scripts/native-sources.cjs portable|avx2|avx512
// CUDA sources are CMake-only; binding.gyp is the CPU-only build.
const fs = require('node:fs');
const path = require('node:path');

const kind = process.argv[2] ?? 'portable';
const dirs = ['native/core', 'native/cpu', 'native/nn', 'native/data', 'native/profile', 'native/napi'];
const root = path.resolve(__dirname, '..');
const files = dirs
  .filter((d) => fs.existsSync(path.join(root, d)))
  .flatMap((d) => fs.readdirSync(path.join(root, d)).filter((f) => f.endsWith('.cc')).map((f) => `${d}/${f}`))
  .filter((f) => {
    const variant = f.endsWith('_avx2.cc') ? 'avx2' : f.endsWith('_avx512.cc') ? 'avx512' : 'portable';
    return variant === kind;
  })
  .sort();
process.stdout.write(files.join(' '));
