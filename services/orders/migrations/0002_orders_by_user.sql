-- GET /orders?userId= lists one user's orders newest first: this index serves that query
-- (orders 1.1.0 reads it through `INDEXED BY`, so the version needs this migration applied).
CREATE INDEX orders_by_user_created ON orders (user_id, created_at DESC);
