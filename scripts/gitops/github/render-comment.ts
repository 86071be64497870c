import { codeSpan, escapeText, tableRow } from './markdown.ts';
import type { PlanSummaryInput, ServiceSummary } from './plan-input.ts';

/** Hidden first line of the sticky comment; how a later run finds the comment to update. */
export const PLAN_COMMENT_MARKER = '<!-- edgeops-plan -->';

/** GitHub refuses issue-comment bodies longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface RenderOptions {
  marker?: string;
  /** Upper bound for the whole body (default: GitHub's limit). */
  maxLength?: number;
  /** Commit the plan was made for, shown in the footer. */
  commit?: string;
  /** Link to the workflow run, where the full plan is in the log. */
  runUrl?: string;
  /** Markdown shown after the plan, e.g. the contract changes (scripts/contracts/comment.ts). */
  appendix?: string;
}

const TRUNCATION_NOTE_ROOM = 400;

/** Appends parts while they fit under a length bound; remembers whether anything was left out. */
class BoundedText {
  private readonly parts: string[] = [];
  private length = 0;
  truncated = false;

  constructor(private readonly limit: number) {}

  add(text: string): boolean {
    if (this.truncated || this.length + text.length + 1 > this.limit) {
      this.truncated = true;
      return false;
    }
    this.parts.push(text);
    this.length += text.length + 1;
    return true;
  }

  toString(): string {
    return this.parts.join('\n');
  }
}

export function summaryLine(input: PlanSummaryInput): string {
  const { create, update, delete: remove, unchanged } = input.summary;
  const notPruned = input.services.filter((service) => service.actions.length > 0 && service.actions.every((action) => action.skipped)).length;
  const prune = notPruned > 0 ? ` ${notPruned} removal${notPruned === 1 ? '' : 's'} shown but not applied (prune is off).` : '';
  const account = input.account.length > 0 ? ` ${input.account.length} account-level action${input.account.length === 1 ? '' : 's'} (queues, KV namespaces, D1 databases).` : '';
  if (create + update + remove === 0 && input.account.length === 0) {
    // Orphans (managed scripts git no longer declares) alone are still a difference: plan exits 2 for them.
    return notPruned > 0 ? `**Orphans:** ${unchanged} unchanged.${prune}` : `**No changes.** ${unchanged} unchanged.`;
  }
  return `**Plan:** ${create} to create, ${update} to update, ${remove} to delete, ${unchanged} unchanged.${account}${prune}`;
}

function serviceSection(service: ServiceSummary): { heading: string[]; rows: string[] } {
  return {
    heading: ['', `#### ${codeSpan(service.name)} · ${escapeText(service.status)}`, '', tableRow(['action', 'what', 'reason']), tableRow(['---', '---', '---'])],
    rows: service.actions.map((action) =>
      tableRow([
        `${action.symbol} ${action.kind}`,
        codeSpan(action.target),
        `${escapeText(action.reason)}${action.skipped ? ' *(not applied: prune is off)*' : ''}`,
      ]),
    ),
  };
}

/**
 * The whole comment body: marker, heading, summary line, errors, one table per changed service,
 * the unchanged services in one line, a footer. Kept under `maxLength`: when the plan is too long,
 * the tables stop at a row boundary and a note says how much was left out and where the full plan is.
 */
export function renderPlanComment(input: PlanSummaryInput, options: RenderOptions = {}): string {
  const maxLength = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  const footer = ['', '---', `<sub>${[options.commit ? `commit ${codeSpan(options.commit.slice(0, 12))}` : '', options.runUrl ? `[workflow run](${options.runUrl})` : '', 'posted by `edgeops`'].filter(Boolean).join(' · ')}</sub>`].join('\n');
  // Everything, if it fits; otherwise again with room kept for the truncation note.
  const whole = composeBody(input, options, maxLength - footer.length - 1);
  if (!whole.truncated) return `${whole.text}\n${footer}`;
  const cut = composeBody(input, options, maxLength - footer.length - 1 - TRUNCATION_NOTE_ROOM - (options.runUrl?.length ?? 0));
  return `${cut.text}${cut.note}\n${footer}`;
}

function composeBody(input: PlanSummaryInput, options: RenderOptions, budget: number): { text: string; truncated: boolean; note: string } {
  const text = new BoundedText(budget);
  text.add(options.marker ?? PLAN_COMMENT_MARKER);
  text.add(`### edgeops plan${input.target ? ` · ${codeSpan(input.target)}` : ''}`);
  text.add('');
  text.add(input.errors.length > 0 ? `**The plan failed** with ${input.errors.length} error${input.errors.length === 1 ? '' : 's'}; nothing can be applied until ${input.errors.length === 1 ? 'it is' : 'they are'} fixed.` : summaryLine(input));

  let errorsShown = 0;
  if (input.errors.length > 0) {
    text.add('\n#### Errors\n');
    for (const error of input.errors) {
      if (!text.add(`- ${error.where ? `${codeSpan(error.where)}: ` : ''}${escapeText(error.message)}`)) break;
      errorsShown += 1;
    }
  }

  if (input.rollouts && input.rollouts.length > 0) {
    text.add('\n#### Rollouts\n');
    for (const rollout of input.rollouts) if (!text.add(`- ${codeSpan(rollout.service)}: ${escapeText(rollout.text)}`)) break;
  }

  const account: ServiceSummary[] = input.account.length > 0 ? [{ name: 'account', status: 'queues, KV namespaces, D1 databases', actions: input.account }] : [];
  const changed = [...account, ...input.services.filter((service) => service.actions.length > 0)];
  let actionsShown = 0;
  let servicesShown = 0;
  for (const service of changed) {
    const { heading, rows } = serviceSection(service);
    // A heading is only shown together with its first row: never an empty table.
    if (!text.add([...heading, ...rows.slice(0, 1)].join('\n'))) break;
    servicesShown += 1;
    actionsShown += 1;
    for (const row of rows.slice(1)) {
      if (!text.add(row)) break;
      actionsShown += 1;
    }
    if (text.truncated) break;
  }

  const unchanged = input.services.filter((service) => service.actions.length === 0 && service.status === 'unchanged');
  if (unchanged.length > 0) text.add(`\nUnchanged: ${unchanged.map((service) => codeSpan(service.name)).join(', ')}`);
  if (options.appendix) text.add(options.appendix);

  let note = '';
  if (text.truncated) {
    const totalActions = changed.reduce((sum, service) => sum + service.actions.length, 0);
    const left = [
      input.errors.length > errorsShown ? `${input.errors.length - errorsShown} errors` : '',
      totalActions > actionsShown ? `${totalActions - actionsShown} actions` : '',
      changed.length > servicesShown ? `${changed.length - servicesShown} more services` : '',
    ].filter(Boolean);
    note = `\n\n> [!NOTE]\n> Truncated to fit GitHub's ${GITHUB_COMMENT_LIMIT}-character comment limit: ${left.join(', ') || 'the list of unchanged services'} not shown. The full plan is in the ${options.runUrl ? `[workflow run log](${options.runUrl})` : 'workflow run log'}.`;
  }
  return { text: text.toString(), truncated: text.truncated, note };
}
