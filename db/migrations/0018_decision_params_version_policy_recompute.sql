CREATE TYPE "public"."policy_recompute_state" AS ENUM('waiting', 'running', 'done', 'superseded');--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "params_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "policy_param_sets" ADD COLUMN "recompute_state" "policy_recompute_state" DEFAULT 'waiting' NOT NULL;--> statement-breakpoint
ALTER TABLE "policy_param_sets" ADD COLUMN "recompute_claimed_by" text;--> statement-breakpoint
ALTER TABLE "policy_param_sets" ADD COLUMN "recompute_lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "policy_param_sets" ADD COLUMN "recompute_cursor" bigint;