CREATE TYPE "public"."provider_job_attempt_state" AS ENUM('in_flight', 'delivered', 'failed', 'abandoned');--> statement-breakpoint
ALTER TABLE "provider_job_attempts" ALTER COLUMN "duration_ms" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "provider_job_attempts" ADD COLUMN "number" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "provider_job_attempts" ADD COLUMN "state" "provider_job_attempt_state" DEFAULT 'in_flight' NOT NULL;--> statement-breakpoint
ALTER TABLE "provider_jobs" ADD COLUMN "problem" text;--> statement-breakpoint
ALTER TABLE "provider_jobs" ADD COLUMN "attempts_at_retry" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Attempts recorded before this migration were all answered (they were written after the answer).
UPDATE "provider_job_attempts" AS a SET
  "state" = CASE WHEN a."http_status" BETWEEN 200 AND 299 THEN 'delivered'::provider_job_attempt_state ELSE 'failed'::provider_job_attempt_state END,
  "number" = n."number"
FROM (SELECT "id", row_number() OVER (PARTITION BY "job_id" ORDER BY "attempted_at", "id")::integer AS "number" FROM "provider_job_attempts") AS n
WHERE n."id" = a."id";
