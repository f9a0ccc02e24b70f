// Data and space resolution shared by the commands.
import { existsSync } from 'node:fs';
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

export async function openData(dir: string | undefined, log: (line: string) => void): Promise<FashionMnist> {
  if (dir !== undefined && !existsSync(dir)) throw new UsageError(`--data ${dir}: no such folder`);
  const data = await openFashionMnist(dir);
  if (data.notice) log(`note: ${data.notice}`);
  return data;
}

