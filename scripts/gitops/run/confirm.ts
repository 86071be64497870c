import { createInterface } from 'node:readline/promises';
import { planActions, type Plan } from '../plan/plan.ts';

/** Asks on the terminal before applying; refuses to guess when there is no terminal. */
export async function confirmOnTerminal(plan: Plan): Promise<boolean> {
  if (!process.stdin.isTTY) throw new Error('apply asks for confirmation, but this is not a terminal: pass --yes to apply without asking');
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`Apply ${planActions(plan).length} actions to target ${plan.target}? Only "yes" is accepted: `);
    return answer.trim() === 'yes';
  } finally {
    prompt.close();
  }
}
