/** The one line the CLIs print when `--reset` replaced the account (never the token itself). */
import type { ReplacedAccount } from './store/store.ts';

export function replacedAccountLine(replaced: ReplacedAccount, accountId: string, endpointFile: string): string {
  const changes = [
    ...(replaced.idChanged ? [`account id ${replaced.previousId} → ${accountId}`] : []),
    ...(replaced.tokenChanged ? ['a new API token'] : []),
  ];
  return `--reset made a new account (${changes.join(', ')}): credentials saved before no longer work; the new ones are in ${endpointFile}`;
}
