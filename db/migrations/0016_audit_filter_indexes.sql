DROP INDEX "audit_events_entity_idx";--> statement-breakpoint
DROP INDEX "audit_events_actor_idx";--> statement-breakpoint
CREATE INDEX "audit_events_entity_id_idx" ON "audit_events" USING btree ("entity_type","entity_id","id");--> statement-breakpoint
CREATE INDEX "audit_events_actor_id_idx" ON "audit_events" USING btree ("actor_id","id");--> statement-breakpoint
CREATE INDEX "audit_events_action_id_idx" ON "audit_events" USING btree ("action","id");--> statement-breakpoint
CREATE INDEX "audit_events_action_group_idx" ON "audit_events" USING btree (split_part("action", '.', 1),"id");--> statement-breakpoint
CREATE INDEX "audit_events_ticket_idx" ON "audit_events" USING btree (coalesce("after"->>'ticketId', "before"->>'ticketId'),"id") WHERE coalesce("audit_events"."after"->>'ticketId', "audit_events"."before"->>'ticketId') is not null;--> statement-breakpoint
CREATE INDEX "audit_events_customer_idx" ON "audit_events" USING btree (coalesce("after"->>'customerId', "before"->>'customerId'),"id") WHERE coalesce("audit_events"."after"->>'customerId', "audit_events"."before"->>'customerId') is not null;--> statement-breakpoint
CREATE INDEX "audit_events_at_id_idx" ON "audit_events" USING btree ("at","id");--> statement-breakpoint
CREATE INDEX "audit_events_reason_trgm_idx" ON "audit_events" USING gin ("reason" gin_trgm_ops) WHERE "audit_events"."reason" is not null;