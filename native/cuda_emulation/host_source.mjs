// Rewrites a .cu file as host C++ for the emulated CUDA backend: each kernel
// launch `kernel<<<grid, block[, shared[, stream]]>>>(args)` becomes
// `::prunas_emulation::Launch("kernel", __FILE__, __LINE__, grid, block, ...)
// .run(kernel, args)`. Every launch in native/cuda sits on one line; the
// output keeps the line numbers and names the original file (#line), so
// compiler messages and launch errors point into the .cu file.
//
//   node host_source.mjs native/cuda/depthwise.cu build/cuda_host/depthwise.cc
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node host_source.mjs INPUT.cu OUTPUT.cc');
  process.exit(2);
}
const source = readFileSync(input, 'utf8');
const launch = /([A-Za-z_][\w:]*(?:<[^<>;()]*>)?)<<<(.*?)>>>\(/g;
let launches = 0;
const host = source.replace(launch, (_, kernel, config) => {
  launches++;
  return `::prunas_emulation::Launch(${JSON.stringify(kernel)}, __FILE__, __LINE__, ${config}).run(${kernel}, `;
});
const unconverted = host.split('\n').findIndex((line) => line.includes('<<<'));
if (unconverted >= 0) {
  console.error(`${input}:${unconverted + 1}: a kernel launch this script cannot rewrite (keep <<<...>>>( on one line)`);
  process.exit(1);
}
mkdirSync(dirname(output), { recursive: true });
const temporary = `${output}.tmp`;
writeFileSync(temporary, `#line 1 ${JSON.stringify(resolve(input))}\n${host}`);
renameSync(temporary, output);
console.log(`${input}: ${launches} launch${launches === 1 ? '' : 'es'} rewritten`);
