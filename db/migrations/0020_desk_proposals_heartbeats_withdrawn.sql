ALTER TYPE "public"."provider_job_state" ADD VALUE 'withdrawn';--> statement-breakpoint
CREATE TABLE "worker_heartbeats" (
	"worker_id" text PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	"has_panel_url" boolean NOT NULL
);
--> statement-breakpoint
ALTER TABLE "staff_users" ADD COLUMN "proposals_seen_at" timestamp with time zone;