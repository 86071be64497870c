import type { Order } from '@edgeops/contracts/contracts';

const SCHEMA = `CREATE TABLE IF NOT EXISTS orders (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  items TEXT NOT NULL,
  total_cents INTEGER NOT NULL,
  created_at TEXT NOT NULL
)`;

interface OrderRow {
  id: string;
  user_id: string;
  items: string;
  total_cents: number;
  created_at: string;
}

const toOrder = (row: OrderRow): Order => ({
  id: row.id,
  userId: row.user_id,
  items: JSON.parse(row.items) as Order['items'],
  totalCents: row.total_cents,
  createdAt: row.created_at,
});

const ready = new WeakSet<D1Database>();

/** Orders in D1; the table is created on first use. */
export class OrderStore {
  constructor(private readonly db: D1Database) {}

  private async schema(): Promise<void> {
    if (ready.has(this.db)) return;
    await this.db.prepare(SCHEMA).run();
    ready.add(this.db);
  }

  async insert(order: Order): Promise<void> {
    await this.schema();
    await this.db
      .prepare('INSERT INTO orders (id, user_id, items, total_cents, created_at) VALUES (?, ?, ?, ?, ?)')
      .bind(order.id, order.userId, JSON.stringify(order.items), order.totalCents, order.createdAt)
      .run();
  }

  async get(id: string): Promise<Order | null> {
    await this.schema();
    const row = await this.db.prepare('SELECT * FROM orders WHERE id = ?').bind(id).first<OrderRow>();
    return row ? toOrder(row) : null;
  }

  async list(limit: number, userId?: string): Promise<Order[]> {
    await this.schema();
    const statement = userId
      ? this.db.prepare('SELECT * FROM orders WHERE user_id = ? ORDER BY created_at DESC LIMIT ?').bind(userId, limit)
      : this.db.prepare('SELECT * FROM orders ORDER BY created_at DESC LIMIT ?').bind(limit);
    const { results } = await statement.all<OrderRow>();
    return results.map(toOrder);
  }
}
