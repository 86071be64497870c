/**
 * `EDGEOPS_DEV_TIMING=1 npm run dev`: how long each phase of start-up took, one line per phase on
 * stderr (`dev timing: <phase> +<ms since the previous mark> (<ms since the process started>)`).
 * Off by default; marks cost nothing then. Imported first by main.ts, so its first mark is the
 * moment the scripts' own modules start evaluating (node, tsx and the module graph before it).
 */
const enabled = process.env.EDGEOPS_DEV_TIMING === '1';
let previous = 0;

/** Records that `phase` just ended. */
export function markPhase(phase: string): void {
  if (!enabled) return;
  const now = performance.now();
  process.stderr.write(`dev timing: ${phase} +${Math.round(now - previous)} ms (${Math.round(now)} ms)\n`);
  previous = now;
}

markPhase('node started, modules loaded');
