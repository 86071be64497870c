import { readFile } from 'node:fs/promises';
import { codeSpan, escapeText, tableRow } from '../gitops/github/markdown.ts';
import { GateReport, type ServiceVerdict } from './report.ts';
import { suggestedVersion } from './versions.ts';

/** The findings file is missing or is not what `npm run contracts -- --check --base <ref> --out <file>` writes. */
export class ContractReportError extends Error {}

export async function loadGateReport(file: string): Promise<GateReport> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ContractReportError(`${file}: cannot read the contract findings (${error instanceof Error ? error.message : String(error)}); write them with \`npm run contracts -- --check --base <ref> --out ${file}\``);
  }
  const parsed = GateReport.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ContractReportError(`${file}: not contract findings: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data;
}

const CLASS_LABELS = { breaking: '**breaking**', 'non-breaking': 'non-breaking' } as const;

function verdictLine(verdict: ServiceVerdict): string {
  const versions = `${codeSpan(verdict.baseVersion)} → ${codeSpan(verdict.headVersion)}`;
  if (verdict.ok) return `**${codeSpan(verdict.service)}** ${versions} · needs a ${verdict.required} bump · ok`;
  return `**${codeSpan(verdict.service)}** ${versions} · **needs a ${verdict.required} bump** (try ${codeSpan(suggestedVersion(verdict.baseVersion, verdict.required))})`;
}

function verdictSection(verdict: ServiceVerdict): string[] {
  const lines = ['', verdictLine(verdict), '', tableRow(['class', 'route', 'where', 'field', 'change', 'consumers']), tableRow(['---', '---', '---', '---', '---', '---'])];
  for (const change of verdict.changes) {
    const reached = change.class === 'breaking' ? (change.route.startsWith('event ') ? verdict.consumers.events : verdict.consumers.http) : [];
    lines.push(
      tableRow([
        CLASS_LABELS[change.class],
        codeSpan(change.route),
        escapeText(change.location),
        change.field ? codeSpan(change.field) : '',
        escapeText(change.what),
        reached.map(codeSpan).join(', '),
      ]),
    );
  }
  if (verdict.ok && verdict.required === 'major' && verdict.stillOnOldContract.length > 0) {
    const who = verdict.stillOnOldContract.map(codeSpan).join(', ');
    lines.push(
      '',
      '> [!WARNING]',
      `> ${who} still ${verdict.stillOnOldContract.length === 1 ? 'calls' : 'call'} ${codeSpan(verdict.service)} with its old contract at the edge: this change does not bump ${verdict.stillOnOldContract.length === 1 ? 'it' : 'them'}, so ${verdict.stillOnOldContract.length === 1 ? 'it is' : 'they are'} not redeployed. Keep serving the old routes until ${verdict.stillOnOldContract.length === 1 ? 'it is' : 'they are'} updated, or update and bump ${verdict.stillOnOldContract.length === 1 ? 'it' : 'them'} in this pull request (docs/contracts.md).`,
    );
  }
  return lines;
}

/** The plan comment's section on contract changes: one table per service with each change's class and consumers. */
export function renderContractSection(report: GateReport): string {
  const heading = `#### Contract changes · against ${codeSpan(report.base)}`;
  if (report.verdicts.length === 0) return `\n${heading}\n\nNo contract changes.`;
  const failing = report.verdicts.filter((verdict) => !verdict.ok).length;
  const summary = failing === 0 ? 'Every changed contract carries its version bump.' : `**${failing} service${failing === 1 ? '' : 's'} change${failing === 1 ? 's' : ''} a contract without the version bump it needs**; the check fails until the bump is made.`;
  return ['', heading, '', summary, ...report.verdicts.flatMap(verdictSection)].join('\n');
}

/** The render option the plan comment takes: the contract section when a findings file is given. */
export async function contractsAppendix(file: string | undefined): Promise<{ appendix?: string }> {
  return file ? { appendix: renderContractSection(await loadGateReport(file)) } : {};
}
