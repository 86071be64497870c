import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OpenApiDocument } from '@edgeops/contracts';
import { loadFleet } from '../fleet/load.ts';
import { classifyChanges } from './classify.ts';
import { consumersOf, loadUsages, type ServiceUsage } from './consumers.ts';
import { documentPath } from './generate.ts';
import { fileAt, resolveCommit } from './git.ts';
import type { ContractChange, Consumers, GateReport, ServiceVerdict } from './report.ts';
import { bumpOf, bumpSatisfies, requiredBump, suggestedVersion } from './versions.ts';

/** One service's contract at the base and at the head of a change. */
export interface ServiceSides {
  service: string;
  /** Absent when the service (or its document) is new. */
  base?: { document: OpenApiDocument; version: string };
  head: { document: OpenApiDocument; version: string };
}

/**
 * The pure gate: classify each service's changes, check its version bump against them, and name who
 * a breaking change reaches. New services have nothing to break and are not listed.
 */
export function judge(sides: readonly ServiceSides[], usages: readonly ServiceUsage[], bumpedServices: ReadonlySet<string>, base: string): GateReport {
  const verdicts: ServiceVerdict[] = [];
  for (const side of sides) {
    if (!side.base) continue;
    const changes = classifyChanges(side.base.document, side.head.document);
    if (changes.length === 0) continue;
    const required = requiredBump(changes);
    const bump = bumpOf(side.base.version, side.head.version, `services/${side.service}/package.json`);
    const breakingKinds = changes.filter((change) => change.class === 'breaking');
    const all = consumersOf(side.service, usages);
    const consumers: Consumers = {
      http: breakingKinds.some((change) => !change.route.startsWith('event ')) ? all.http : [],
      events: breakingKinds.some((change) => change.route.startsWith('event ')) ? all.events : [],
    };
    const reached = [...new Set([...consumers.http, ...consumers.events])].sort();
    verdicts.push({
      service: side.service,
      baseVersion: side.base.version,
      headVersion: side.head.version,
      changes,
      required,
      bump,
      ok: bumpSatisfies(bump, required),
      consumers,
      stillOnOldContract: reached.filter((consumer) => !bumpedServices.has(consumer)),
    });
  }
  return { base, verdicts, ok: verdicts.every((verdict) => verdict.ok) };
}

/** One line per change, for the terminal and CI logs: service, route, location, field, what, class. */
export function formatChange(service: string, change: ContractChange): string {
  const field = change.field ? ` field ${change.field}` : '';
  const location = change.location === 'route' ? '' : ` ${change.location}`;
  return `${service}: ${change.route}${location}${field}: ${change.what} (${change.class})`;
}

/** The gate's verdict as text: failures first, loud; a passing gate is one line per changed service. */
export function formatReport(report: GateReport): string {
  const lines: string[] = [];
  for (const verdict of report.verdicts) {
    const needs = `needs a ${verdict.required} bump of services/${verdict.service}/package.json`;
    if (!verdict.ok) {
      lines.push(`error: ${verdict.service}: ${needs}: ${verdict.baseVersion} → ${verdict.headVersion} is ${verdict.bump === 'none' ? 'no bump' : `a ${verdict.bump} bump`} (try ${suggestedVersion(verdict.baseVersion, verdict.required)})`);
    } else {
      lines.push(`${verdict.service}: ${verdict.baseVersion} → ${verdict.headVersion}, ${verdict.changes.length} contract change${verdict.changes.length === 1 ? '' : 's'} (${verdict.required} bump needed, ok)`);
    }
    for (const change of verdict.changes) {
      const reached = change.class === 'breaking' ? (change.route.startsWith('event ') ? verdict.consumers.events : verdict.consumers.http) : [];
      lines.push(`  ${formatChange(verdict.service, change)}${reached.length > 0 ? `; consumers: ${reached.join(', ')}` : ''}`);
    }
    if (verdict.ok && verdict.required === 'major' && verdict.stillOnOldContract.length > 0) {
      lines.push(
        `  warning: ${verdict.stillOnOldContract.join(', ')} still use${verdict.stillOnOldContract.length === 1 ? 's' : ''} the old ${verdict.service} contract at the edge (not bumped here): keep serving the old routes until they are updated, or bump them in this change (docs/contracts.md)`,
      );
    }
  }
  return lines.join('\n');
}

async function readJson<T>(text: string, where: string): Promise<T> {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`${where}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/**
 * The effects around {@link judge}: the base's committed documents and versions from git, the head's
 * from the working tree, who uses whom from the fleet's config and source.
 */
export async function runGate(rootDir: string, baseRef: string): Promise<GateReport> {
  const commit = await resolveCommit(rootDir, baseRef);
  const fleet = await loadFleet(rootDir);
  const sides: ServiceSides[] = [];
  const bumped = new Set<string>();
  for (const service of fleet.services) {
    const packagePath = `services/${service.name}/package.json`;
    const basePackage = await fileAt(rootDir, commit, packagePath);
    const baseVersion = basePackage ? (await readJson<{ version?: string }>(basePackage, `${packagePath} at ${baseRef}`)).version : undefined;
    if (baseVersion !== undefined && baseVersion !== service.version) bumped.add(service.name);

    const path = documentPath(service.name);
    const headText = await readFile(join(rootDir, path), 'utf8').catch(() => undefined);
    if (headText === undefined) continue;
    const head = { document: await readJson<OpenApiDocument>(headText, path), version: service.version };
    const baseText = await fileAt(rootDir, commit, path);
    if (baseText === undefined || baseVersion === undefined) {
      sides.push({ service: service.name, head });
      continue;
    }
    sides.push({ service: service.name, base: { document: await readJson<OpenApiDocument>(baseText, `${path} at ${baseRef}`), version: baseVersion }, head });
  }
  return judge(sides, await loadUsages(fleet), bumped, baseRef);
}
