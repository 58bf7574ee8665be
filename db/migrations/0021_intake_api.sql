CREATE TABLE "api_idempotency_keys" (
	"api_key_id" bigint NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" integer,
	"body" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_idempotency_keys_api_key_id_key_pk" PRIMARY KEY("api_key_id","key")
);
--> statement-breakpoint
ALTER TABLE "orders" ALTER COLUMN "charge" SET DATA TYPE numeric;--> statement-breakpoint
ALTER TABLE "payments" ALTER COLUMN "amount" SET DATA TYPE numeric;--> statement-breakpoint
ALTER TABLE "services" ALTER COLUMN "rate_per_1000" SET DATA TYPE numeric;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "currency" varchar(3);--> statement-breakpoint
ALTER TABLE "api_idempotency_keys" ADD CONSTRAINT "api_idempotency_keys_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_idempotency_keys_created_idx" ON "api_idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "tickets_updated_idx" ON "tickets" USING btree ("updated_at","id");--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_charge_scale" CHECK (charge = round(charge, 8) and abs(charge) < 1e12);--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_amount_scale" CHECK (amount = round(amount, 8) and abs(amount) < 1e12);--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_rate_scale" CHECK (rate_per_1000 = round(rate_per_1000, 8) and abs(rate_per_1000) < 1e12);