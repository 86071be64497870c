/** The machine and tool versions a run measured on, printed with every published table. */
import { readFile } from 'node:fs/promises';
import { cpus, release, totalmem, type } from 'node:os';
import path from 'node:path';
import type { BenchEnvironment } from './result.ts';

async function packageVersion(root: string, name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error(`node_modules/${name}/package.json has no version`);
  return manifest.version;
}

export async function benchEnvironment(root: string): Promise<BenchEnvironment> {
  const processors = cpus();
  return {
    date: new Date().toISOString(),
    machine: {
      cpu: processors[0]?.model.trim() ?? 'unknown',
      cores: Math.max(1, processors.length),
      memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      os: `${type()} ${release()} ${process.arch}`,
    },
    node: process.version,
    wrangler: await packageVersion(root, 'wrangler'),
    workerd: await packageVersion(root, 'workerd'),
  };
}
