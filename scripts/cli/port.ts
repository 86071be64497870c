import { InvalidArgumentError } from 'commander';

/** commander argument parser for a TCP port; 0 means any free port. */
export function parsePort(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new InvalidArgumentError(`expected a port number 0–65535 (0: any free port), got "${value}"`);
  return parsed;
}
