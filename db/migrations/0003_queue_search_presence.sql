CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE TABLE "ticket_presence" (
	"staff_id" bigint NOT NULL,
	"ticket_id" bigint NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_presence_staff_id_ticket_id_pk" PRIMARY KEY("staff_id","ticket_id")
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "amount_at_stake" numeric(14, 2);--> statement-breakpoint
ALTER TABLE "ticket_presence" ADD CONSTRAINT "ticket_presence_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ticket_presence_ticket_idx" ON "ticket_presence" USING btree ("ticket_id","seen_at");--> statement-breakpoint
CREATE INDEX "customers_username_trgm_idx" ON "customers" USING gin ("username" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customers_email_trgm_idx" ON "customers" USING gin ("email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "tickets_deadline_idx" ON "tickets" USING btree ("eligibility_deadline","id");--> statement-breakpoint
CREATE INDEX "tickets_status_opened_idx" ON "tickets" USING btree ("status","opened_at","id");--> statement-breakpoint
CREATE INDEX "tickets_status_amount_idx" ON "tickets" USING btree ("status","amount_at_stake","id");--> statement-breakpoint
CREATE INDEX "tickets_link_trgm_idx" ON "tickets" USING gin ("target_link_given" gin_trgm_ops);