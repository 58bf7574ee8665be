ALTER TYPE "public"."decision_state" ADD VALUE 'awaiting_panel' BEFORE 'executed';--> statement-breakpoint
ALTER TYPE "public"."provider_job_kind" ADD VALUE 'credit_reversed' BEFORE 'account_suspended';--> statement-breakpoint
ALTER TABLE "manual_credits" ADD COLUMN "approval_reason" text;--> statement-breakpoint
ALTER TABLE "provider_jobs" ADD COLUMN "ledger_entry_id" bigint;--> statement-breakpoint
ALTER TABLE "provider_jobs" ADD CONSTRAINT "provider_jobs_ledger_entry_id_ledger_entries_id_fk" FOREIGN KEY ("ledger_entry_id") REFERENCES "public"."ledger_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "manual_credits_requester_idx" ON "manual_credits" USING btree ("requested_by","created_at");--> statement-breakpoint
CREATE INDEX "provider_jobs_ledger_entry_idx" ON "provider_jobs" USING btree ("ledger_entry_id") WHERE ledger_entry_id is not null;