CREATE TYPE "public"."policy_recompute_state" AS ENUM('waiting', 'running', 'done', 'superseded');--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "params_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "policy_param_sets" ADD COLUMN "recompute_state" "policy_recompute_state" DEFAULT 'waiting' NOT NULL;--> statement-breakpoint
ALTER TABLE "policy_param_sets" ADD COLUMN "recompute_claimed_by" text;--> statement-breakpoint
ALTER TABLE "policy_param_sets" ADD COLUMN "recompute_lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "policy_param_sets" ADD COLUMN "recompute_cursor" bigint;--> statement-breakpoint
-- Existing decisions: the set that was in force when each was proposed (what paramsVersionAt derived).
UPDATE "decisions" AS d SET "params_version" = coalesce((
	SELECT s."version" FROM "policy_param_sets" AS s
	WHERE s."state" = 'approved' AND s."in_force_from" <= d."created_at"
	ORDER BY s."in_force_from" DESC, s."version" DESC
	LIMIT 1
), 1);--> statement-breakpoint
-- Recomputes that finished before the worker ran them are done; the rest wait for the worker.
UPDATE "policy_param_sets" SET "recompute_state" = 'done' WHERE "recompute_finished_at" IS NOT NULL;
