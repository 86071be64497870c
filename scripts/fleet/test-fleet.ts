/**
 * The fleet of one service test file: the real fleet in workerd (see {@link startFleet}), started
 * before the file's tests and disposed after them, reached on its routes as a client would.
 */
import { createClient, type Client, type ClientOptions, type Contract } from '@edgeops/contracts';
import { afterAll, beforeAll } from 'vitest';
import { startFleet, type FleetHarness, type FleetHarnessOptions } from './testing.ts';

/** Where the example fleet's routes are (the root wrangler.toml's zone). */
export const FLEET_BASE_URL = 'https://api.example.com';

/** The running fleet ({@link FleetHarness}, disposed by the helper), with clients over its routes. */
export interface TestFleet extends Omit<FleetHarness, 'dispose'> {
  /** A typed client of `contract` over the fleet: every answer is checked against the contract. */
  client<C extends Contract>(contract: C, options?: ClientOptions): Client<C>;
  /** A plain request to `path` under {@link FLEET_BASE_URL}, for what a typed client cannot send. */
  raw(path: string, init?: RequestInit): Promise<Response>;
}

/** This file's fleet: started before its tests, disposed after them. */
export function withTestFleet(options: FleetHarnessOptions = {}): TestFleet {
  let started: FleetHarness | undefined;
  beforeAll(async () => {
    started = await startFleet(options);
  });
  afterAll(() => started?.dispose());
  const harness = (): FleetHarness => started ?? raise('the test fleet is used before it started (call it inside a test)');
  return {
    get fleet() {
      return harness().fleet;
    },
    get miniflare() {
      return harness().miniflare;
    },
    fetch: (url, init) => harness().fetch(url, init),
    worker: (name) => harness().worker(name),
    client: (contract, clientOptions = {}) => createClient(contract, { baseUrl: FLEET_BASE_URL, fetch: (request) => harness().fetch(request.url, request) }, clientOptions),
    raw: (path, init) => harness().fetch(`${FLEET_BASE_URL}${path}`, init),
  };
}

function raise(message: string): never {
  throw new Error(message);
}
