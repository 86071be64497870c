import type { OrderCreated } from '@edgeops/contracts/contracts';

export interface Env {
  USERS: Fetcher;
  DB: D1Database;
  ORDER_EVENTS: Queue<OrderCreated>;
}
