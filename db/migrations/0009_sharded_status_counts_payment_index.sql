-- Shard the status counters per database session: concurrent status changes no longer wait on
-- (or deadlock over) one counter row each. A status's count is the sum of its shards.
ALTER TABLE "ticket_status_counts" DROP CONSTRAINT "ticket_status_counts_pkey";--> statement-breakpoint
ALTER TABLE "ticket_status_counts" ADD COLUMN "shard" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ticket_status_counts" ADD CONSTRAINT "ticket_status_counts_status_shard_pk" PRIMARY KEY("status","shard");--> statement-breakpoint
CREATE OR REPLACE FUNCTION ticket_status_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  my_shard smallint := pg_backend_pid() % 16;
BEGIN
  -- Rows are upserted in status order, so two sessions that share a shard lock them in one order.
  IF TG_OP = 'INSERT' THEN
    INSERT INTO ticket_status_counts AS c (status, shard, n)
      SELECT status, my_shard, count(*) FROM new_rows GROUP BY status ORDER BY status
      ON CONFLICT (status, shard) DO UPDATE SET n = c.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO ticket_status_counts AS c (status, shard, n)
      SELECT status, my_shard, -count(*) FROM old_rows GROUP BY status ORDER BY status
      ON CONFLICT (status, shard) DO UPDATE SET n = c.n + excluded.n;
  ELSE
    INSERT INTO ticket_status_counts AS c (status, shard, n)
      SELECT status, my_shard, sum(delta)
      FROM (SELECT status, 1 AS delta FROM new_rows UNION ALL SELECT status, -1 FROM old_rows) z
      GROUP BY status HAVING sum(delta) <> 0 ORDER BY status
      ON CONFLICT (status, shard) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE INDEX "tickets_payment_idx" ON "tickets" USING btree ("payment_id");
