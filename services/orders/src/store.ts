import type { Order } from '@edgeops/contracts/contracts';

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

/** Orders in D1; the schema is the service's migrations (services/orders/migrations/), applied before this code runs. */
export class OrderStore {
  constructor(private readonly db: D1Database) {}

  async insert(order: Order): Promise<void> {
    await this.db
      .prepare('INSERT INTO orders (id, user_id, items, total_cents, created_at) VALUES (?, ?, ?, ?, ?)')
      .bind(order.id, order.userId, JSON.stringify(order.items), order.totalCents, order.createdAt)
      .run();
  }

  async get(id: string): Promise<Order | null> {
    const row = await this.db.prepare('SELECT * FROM orders WHERE id = ?').bind(id).first<OrderRow>();
    return row ? toOrder(row) : null;
  }

  async list(limit: number, userId?: string): Promise<Order[]> {
    const statement = userId
      ? this.db.prepare('SELECT * FROM orders INDEXED BY orders_by_user_created WHERE user_id = ? ORDER BY created_at DESC LIMIT ?').bind(userId, limit)
      : this.db.prepare('SELECT * FROM orders ORDER BY created_at DESC LIMIT ?').bind(limit);
    const { results } = await statement.all<OrderRow>();
    return results.map(toOrder);
  }
}
