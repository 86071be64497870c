/**
 * `EDGEOPS_DEV_TIMING=1 npm run dev`: how long each phase of start-up took, one line per phase on
 * stderr (`dev timing: <phase> +<ms since the previous mark> (<ms since the process started>)`).
 * Off by default; marks cost nothing then. Imported first by main.ts, so its first mark is the
 * moment dev's own code starts evaluating (node started, scripts/cli/run-bundled.mjs found or
 * built the compiled code and loaded it); the packages dev requires load in the next phase.
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

markPhase("node started, dev's code loaded");
