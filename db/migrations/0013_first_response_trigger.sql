-- The first reply to the customer (a staff message that is not an internal note) stamps
-- tickets.first_responded_at, whoever wrote it: a reply, an executed decision's reply, a review.
-- Statement-level with a transition table: one update per statement, COPY of the seed included.
CREATE FUNCTION tickets_first_response_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tickets t SET first_responded_at = m.first_at
    FROM (
      SELECT ticket_id, min(created_at) AS first_at FROM new_rows
      WHERE staff_id IS NOT NULL AND NOT is_internal GROUP BY ticket_id
    ) m
    WHERE t.id = m.ticket_id AND (t.first_responded_at IS NULL OR t.first_responded_at > m.first_at);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER ticket_messages_first_response AFTER INSERT ON ticket_messages
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tickets_first_response_apply();
--> statement-breakpoint
-- Tickets opened before service levels existed: the default targets of lib/tickets/sla.ts
-- (payment claims 2 h / 24 h, the rest 4 h / 72 h) and their first reply from the messages.
UPDATE tickets SET
  first_response_due_at = opened_at + CASE WHEN claim IN ('duplicate_payment', 'payment_not_credited') THEN interval '2 hours' ELSE interval '4 hours' END,
  resolution_due_at = opened_at + CASE WHEN claim IN ('duplicate_payment', 'payment_not_credited') THEN interval '24 hours' ELSE interval '72 hours' END,
  first_responded_at = (
    SELECT min(m.created_at) FROM ticket_messages m WHERE m.ticket_id = tickets.id AND m.staff_id IS NOT NULL AND NOT m.is_internal
  )
WHERE first_response_due_at IS NULL;
