import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, type ConfigIssue } from './errors.ts';
import { mergeServiceConfig, type MergedServiceConfig } from './merge.ts';
import { RootConfig, ServiceConfig, ServicePackage } from './schema.ts';
import { readConfig } from './source.ts';

/** One service as git declares it. */
export interface FleetService {
  name: string;
  /** Absolute path of `services/<name>/`. */
  dir: string;
  configPath: string;
  packageJsonPath: string;
  /** `package.json` `version`: the version this service should run. */
  version: string;
  /** The service's wrangler config with the root's defaults merged in. */
  config: MergedServiceConfig;
  /** The whole `package.json`, for tools that read their own keys from it. */
  packageJson: Record<string, unknown>;
}

/** The whole fleet as git declares it. */
export interface Fleet {
  rootDir: string;
  rootConfigPath: string;
  root: RootConfig;
  services: FleetService[];
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The folders under `services/` that hold a `wrangler.toml`, sorted by name. */
export async function serviceDirs(rootDir: string): Promise<string[]> {
  const servicesDir = join(rootDir, 'services');
  if (!(await exists(servicesDir))) return [];
  const entries = await readdir(servicesDir, { withFileTypes: true });
  const dirs: string[] = [];
  for (const entry of entries.filter((item) => item.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const dir = join(servicesDir, entry.name);
    if (await exists(join(dir, 'wrangler.toml'))) dirs.push(dir);
  }
  return dirs;
}

/**
 * Reads the root `wrangler.toml` and every `services/<name>/wrangler.toml` and `package.json`,
 * each parsed once with its schema. Collects the issues of every file before failing, so one run
 * shows them all.
 */
export async function loadFleet(rootDir: string): Promise<Fleet> {
  const rootConfigPath = join(rootDir, 'wrangler.toml');
  const root = (await readConfig(rootConfigPath, rootDir, RootConfig, 'toml')).value;
  const issues: ConfigIssue[] = [];
  const services: FleetService[] = [];
  for (const dir of await serviceDirs(rootDir)) {
    const configPath = join(dir, 'wrangler.toml');
    const packageJsonPath = join(dir, 'package.json');
    try {
      const config = (await readConfig(configPath, rootDir, ServiceConfig, 'toml')).value;
      const pkg = await readConfig(packageJsonPath, rootDir, ServicePackage, 'json');
      services.push({
        name: config.name,
        dir,
        configPath,
        packageJsonPath,
        version: pkg.value.version,
        config: mergeServiceConfig(root, config),
        packageJson: pkg.raw,
      });
    } catch (error) {
      if (error instanceof ConfigError) issues.push(...error.issues);
      else throw error;
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return { rootDir, rootConfigPath, root, services };
}
