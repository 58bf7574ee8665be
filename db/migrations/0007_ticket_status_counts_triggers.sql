-- Exact tickets-per-status counts for the queue's tabs, without counting a million rows per page.
-- Statement-level triggers with transition tables: one small update per statement, COPY included.
INSERT INTO ticket_status_counts (status, n)
  SELECT s, (SELECT count(*) FROM tickets t WHERE t.status = s) FROM unnest(enum_range(NULL::ticket_status)) s;
--> statement-breakpoint
CREATE FUNCTION ticket_status_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE ticket_status_counts c SET n = c.n + d.n
      FROM (SELECT status, count(*) AS n FROM new_rows GROUP BY status) d WHERE c.status = d.status;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE ticket_status_counts c SET n = c.n - d.n
      FROM (SELECT status, count(*) AS n FROM old_rows GROUP BY status) d WHERE c.status = d.status;
  ELSE
    UPDATE ticket_status_counts c SET n = c.n + d.n
      FROM (
        SELECT status, sum(delta) AS n
        FROM (SELECT status, 1 AS delta FROM new_rows UNION ALL SELECT status, -1 FROM old_rows) z
        GROUP BY status HAVING sum(delta) <> 0
      ) d
      WHERE c.status = d.status;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER tickets_count_insert AFTER INSERT ON tickets
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_status_counts_apply();
--> statement-breakpoint
CREATE TRIGGER tickets_count_update AFTER UPDATE ON tickets
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_status_counts_apply();
--> statement-breakpoint
CREATE TRIGGER tickets_count_delete AFTER DELETE ON tickets
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_status_counts_apply();
