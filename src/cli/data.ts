// Data and space resolution shared by the commands.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openFashionMnist, type FashionMnist } from '../data/fashion-mnist.js';
import { proxylessCifar, proxylessMobile, proxylessSmall, prunetSmall, validateSpace, type SearchSpace } from '../space/index.js';
import { readJson, UsageError } from './util.js';

const BUILTIN: Record<string, () => SearchSpace> = {
  'proxyless-small': () => proxylessSmall(),
  'prunet-small': () => prunetSmall(),
  'proxyless-cifar': () => proxylessCifar(),
  'proxyless-mobile': () => proxylessMobile(),
};

export async function resolveSpace(nameOrFile: string): Promise<SearchSpace> {
  if (BUILTIN[nameOrFile]) return BUILTIN[nameOrFile]();
  if (existsSync(nameOrFile)) return validateSpace(await readJson(nameOrFile, 'space'));
  throw new UsageError(`unknown space ${JSON.stringify(nameOrFile)}: use ${Object.keys(BUILTIN).join(', ')} or a space JSON file`);
}

/**
 * The space an architecture file names: a built-in space, a space JSON file
 * (as resolveSpace), or else the space.json in the architecture's folder if
 * its name is the one named — where a search over a space with Prunodes
 * writes the derived space its architecture.json refers to.
 */
export async function resolveArchitectureSpace(name: string, architectureFile: string): Promise<SearchSpace> {
  if (BUILTIN[name] || existsSync(name)) return resolveSpace(name);
  const beside = join(dirname(architectureFile), 'space.json');
  if (!existsSync(beside))
    throw new UsageError(`${architectureFile}: space ${JSON.stringify(name)} is neither built in (${Object.keys(BUILTIN).join(', ')}) nor a file, and no space.json lies beside it; pass --space`);
  let space: SearchSpace;
  try {
    space = validateSpace(await readJson(beside, 'space'));
  } catch (e) {
    throw new UsageError(`${beside}: ${(e as Error).message}`);
  }
  if (space.name !== name) throw new UsageError(`${architectureFile}: names space ${JSON.stringify(name)}, but ${beside} holds ${JSON.stringify(space.name)}; pass --space`);
  return space;
}

export async function openData(dir: string | undefined, log: (line: string) => void): Promise<FashionMnist> {
  if (dir !== undefined && !existsSync(dir)) throw new UsageError(`--data ${dir}: no such folder`);
  const data = await openFashionMnist(dir);
  if (data.notice) log(`note: ${data.notice}`);
  return data;
}

