import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { codeSpan, escapeText, tableRow } from './markdown.ts';
import { PlanFileError } from './plan-file.ts';

/**
 * The pull request's preview in the sticky comment: the URL of each Worker the preview deployed,
 * read from the document `npm run apply -- --env pr-<n> --json --out <file>` writes (its
 * `environment` and `services`, see scripts/gitops/report/service-urls.ts).
 */

const PreviewDocument = z.object({
  environment: z.string(),
  services: z.array(z.object({ script: z.string(), urls: z.array(z.string()) })),
});
export type PreviewDocument = z.infer<typeof PreviewDocument>;

/** How the preview job ended (`needs.preview.result`). */
export const PREVIEW_RESULTS = ['success', 'failure', 'cancelled', 'skipped'] as const;
export type PreviewResult = (typeof PREVIEW_RESULTS)[number];

export async function loadPreview(path: string): Promise<PreviewDocument> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new PlanFileError(`${path}: cannot read the preview's apply output (${(error as Error).message}); write it with \`npm run apply -- --env pr-<n> --json --out ${path}\``);
  }
  const parsed = PreviewDocument.safeParse(json);
  if (!parsed.success) {
    throw new PlanFileError(`${path} is not the output of \`apply --json\`: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** The Markdown section: a table of Worker → URLs, or why there is none. */
export function renderPreviewSection(preview: PreviewDocument | undefined, result: PreviewResult, runUrl?: string): string {
  const heading = `\n#### Preview${preview ? ` ${codeSpan(preview.environment)}` : ''}\n`;
  const run = runUrl ? `[workflow run](${runUrl})` : 'workflow run';
  if (result !== 'success' || !preview) {
    return result === 'skipped' ? `${heading}\nNo preview was deployed for this commit.` : `${heading}\n**The preview did not deploy** (${escapeText(result)}); the ${run} log says why.`;
  }
  if (preview.services.length === 0) return `${heading}\nThis pull request changes no service: nothing to preview.`;
  const rows = preview.services.map((service) =>
    tableRow([codeSpan(service.script), service.urls.length > 0 ? service.urls.map((url) => `<${url}>`).join('<br>') : 'no route (reach it through a service binding)']),
  );
  return [heading, tableRow(['Worker', 'URL']), tableRow(['---', '---']), ...rows].join('\n');
}
