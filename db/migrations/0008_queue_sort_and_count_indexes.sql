DROP INDEX "tickets_status_amount_idx";--> statement-breakpoint
DROP INDEX "tickets_claim_status_idx";--> statement-breakpoint
DROP INDEX "tickets_outcome_status_idx";--> statement-breakpoint
CREATE INDEX "tickets_status_amount_desc_idx" ON "tickets" USING btree ("status","amount_at_stake" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tickets_claim_status_assignee_idx" ON "tickets" USING btree ("claim","status","assignee_id");--> statement-breakpoint
CREATE INDEX "tickets_outcome_status_assignee_idx" ON "tickets" USING btree ("suggested_outcome","status","assignee_id");