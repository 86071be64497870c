/**
 * Runs the OpenAPI-checked fake GitHub on its own, to try the comment CLI by hand (docs/ci.md):
 *
 *   GITHUB_TOKEN=local-test npx tsx scripts/gitops/github/test/support/serve-fake-github.ts --repo octo/fleet --pr 1
 *
 * It accepts the token in GITHUB_TOKEN (never printed), prints one line per request, and on
 * Ctrl-C prints the comments each pull request ended up with.
 */
import { Command } from 'commander';
import { FakeGitHub } from './fake-github.ts';

const program = new Command('serve-fake-github')
  .requiredOption('--repo <owner/name>', 'repository the fake holds')
  .option('--pr <number...>', 'pull request numbers that exist', ['1'])
  .parse();
const options = program.opts<{ repo: string; pr: string[] }>();
const token = process.env.GITHUB_TOKEN;
if (!token) {
  console.error('set GITHUB_TOKEN to the token the fake should accept (any string; it is never printed)');
  process.exit(1);
}
const pulls = options.pr.map(Number);
const github = new FakeGitHub({ tokens: { [token]: { login: 'github-actions[bot]', type: 'Bot' } }, repos: { [options.repo]: pulls } });
const url = await github.start();
console.log(`fake GitHub (checked against api.github.com's OpenAPI description) on ${url}`);
console.log(`  GITHUB_API_URL=${url} npx tsx scripts/gitops/github/main.ts comment --plan plan.json --repo ${options.repo} --pr ${pulls[0]}`);
let seen = 0;
const report = setInterval(() => {
  for (const exchange of github.exchanges.slice(seen)) {
    const problems = [...exchange.requestViolations, ...exchange.responseViolations].map((violation) => `${violation.where}: ${violation.message}`);
    console.log(`${exchange.method} ${exchange.path} → ${exchange.status} ${exchange.operationId ?? ''}${problems.length > 0 ? `\n  ${problems.join('\n  ')}` : ''}`);
  }
  seen = github.exchanges.length;
}, 200);
const stop = () => {
  clearInterval(report);
  for (const pull of pulls) {
    for (const comment of github.commentsOn(options.repo, pull)) console.log(`\n#${pull} comment ${comment.id} by ${comment.login}:\n${comment.body}`);
  }
  void github.stop().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
