CREATE TABLE "ticket_status_counts" (
	"status" "ticket_status" PRIMARY KEY NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "tickets_claim_status_idx" ON "tickets" USING btree ("claim","status");--> statement-breakpoint
CREATE INDEX "tickets_outcome_status_idx" ON "tickets" USING btree ("suggested_outcome","status");