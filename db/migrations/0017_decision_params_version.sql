ALTER TABLE "decisions" ADD COLUMN "params_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
-- Existing decisions: the set that was in force when each was proposed (what paramsVersionAt derived).
UPDATE "decisions" AS d SET "params_version" = coalesce((
	SELECT s."version" FROM "policy_param_sets" AS s
	WHERE s."state" = 'approved' AND s."in_force_from" <= d."created_at"
	ORDER BY s."in_force_from" DESC, s."version" DESC
	LIMIT 1
), 1);
