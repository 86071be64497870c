import type { Route } from './route.ts';
import type { Schema } from './schema.ts';

/** A service's whole HTTP API (and the events it publishes), defined once. */
export interface Contract {
  /** The service's name: the Worker script name and the folder under `services/`. */
  readonly service: string;
  readonly routes: { readonly [operation: string]: Route };
  /** Messages the service publishes to queues, by event name. */
  readonly events?: { readonly [event: string]: Schema };
}

export function defineContract<const C extends Contract>(contract: C): C {
  return contract;
}
