/**
 * The team's own service level, separate from the policy's eligibility deadline (which only says
 * whether the customer filed in time): how soon a ticket gets its first reply, and how soon it is
 * resolved, per claim. Targets are configuration (defaults below, `SLA_TARGETS` to override); a
 * ticket stores the due times it was opened under, and the database keeps `sla_due_at` (the next
 * one that matters, null while waiting for the customer or resolved) for the queue's sort.
 * Pure: no database, no clock — callers pass `now`.
 */
import { z } from 'zod';
import type { Claim } from '@/lib/policy';

const HOUR_MS = 3_600_000;

export interface SlaTarget {
  /** Hours from opening to the first reply to the customer. */
  firstResponseHours: number;
  /** Hours from opening to resolution. */
  resolutionHours: number;
}

export interface SlaConfig {
  default: SlaTarget;
  /** Claims with their own targets (money claims are answered faster). */
  byClaim: Partial<Record<Claim, SlaTarget>>;
  /** "Breaching soon": due within this many hours (or already breached). */
  breachingSoonHours: number;
}

/** The desk's defaults: first reply within 4 h, resolved within 3 days; payment claims 2 h and 1 day. */
export const DEFAULT_SLA: SlaConfig = {
  default: { firstResponseHours: 4, resolutionHours: 72 },
  byClaim: {
    duplicate_payment: { firstResponseHours: 2, resolutionHours: 24 },
    payment_not_credited: { firstResponseHours: 2, resolutionHours: 24 },
  },
  breachingSoonHours: 2,
};

const targetSchema = z.object({
  firstResponseHours: z
    .number()
    .positive()
    .max(24 * 90),
  resolutionHours: z
    .number()
    .positive()
    .max(24 * 365),
});
const envSchema = z.object({
  default: targetSchema.optional(),
  byClaim: z.record(z.string(), targetSchema).optional(),
  breachingSoonHours: z
    .number()
    .positive()
    .max(24 * 30)
    .optional(),
});

/**
 * The targets in force: the defaults, with `SLA_TARGETS` (JSON, e.g.
 * `{"default":{"firstResponseHours":8,"resolutionHours":96},"byClaim":{"drop":{…}},"breachingSoonHours":1}`)
 * laid over them. A malformed value is an error naming the variable, never silently ignored.
 */
export function readSlaConfig(env: Record<string, string | undefined> = process.env): SlaConfig {
  const raw = env.SLA_TARGETS;
  if (!raw) return DEFAULT_SLA;
  let parsed: z.infer<typeof envSchema>;
  try {
    parsed = envSchema.parse(JSON.parse(raw));
  } catch (error) {
    throw new Error(`SLA_TARGETS is not valid: ${(error as Error).message.slice(0, 300)}`);
  }
  return {
    default: parsed.default ?? DEFAULT_SLA.default,
    byClaim: { ...DEFAULT_SLA.byClaim, ...(parsed.byClaim as SlaConfig['byClaim']) },
    breachingSoonHours: parsed.breachingSoonHours ?? DEFAULT_SLA.breachingSoonHours,
  };
}

let cached: SlaConfig | null = null;
/** The configuration of this process (read once). */
export function slaConfig(): SlaConfig {
  return (cached ??= readSlaConfig());
}

export function slaTargetFor(claim: Claim, config: SlaConfig = slaConfig()): SlaTarget {
  return config.byClaim[claim] ?? config.default;
}

/** The due times a ticket opened at `openedAt` with this claim is held to. */
export function slaDueDates(claim: Claim, openedAt: Date, config: SlaConfig = slaConfig()) {
  const target = slaTargetFor(claim, config);
  return {
    firstResponseDueAt: new Date(openedAt.getTime() + target.firstResponseHours * HOUR_MS),
    resolutionDueAt: new Date(openedAt.getTime() + target.resolutionHours * HOUR_MS),
  };
}

/** Where the clock stands for one ticket, as the queue and the ticket page show it. */
export type SlaState =
  | { kind: 'paused'; label: string }
  | { kind: 'done'; label: string }
  | { kind: 'none'; label: string }
  | {
      kind: 'first_response' | 'resolution';
      dueAt: Date;
      label: string;
      isBreached: boolean;
      isBreachingSoon: boolean;
    };

export interface SlaFields {
  status: string;
  openedAt: Date;
  firstRespondedAt: Date | null;
  slaDueAt: Date | null;
}

function duration(ms: number): string {
  const abs = Math.abs(ms);
  const days = Math.floor(abs / (24 * HOUR_MS));
  const hours = Math.floor((abs % (24 * HOUR_MS)) / HOUR_MS);
  const minutes = Math.max(1, Math.floor((abs % HOUR_MS) / 60_000));
  if (days) return hours ? `${days} d ${hours} h` : `${days} d`;
  if (hours) return `${hours} h`;
  return `${minutes} min`;
}

export function slaState(t: SlaFields, now: Date, config: SlaConfig = slaConfig()): SlaState {
  if (t.status === 'resolved') return { kind: 'done', label: 'Resolved' };
  if (t.status === 'waiting_customer') return { kind: 'paused', label: 'Paused: waiting for the customer' };
  if (!t.slaDueAt) return { kind: 'none', label: 'No target' };
  const kind = t.firstRespondedAt ? 'resolution' : 'first_response';
  const ms = t.slaDueAt.getTime() - now.getTime();
  const what = kind === 'first_response' ? 'First reply' : 'Resolution';
  return {
    kind,
    dueAt: t.slaDueAt,
    isBreached: ms < 0,
    isBreachingSoon: ms >= 0 && ms < config.breachingSoonHours * HOUR_MS,
    label: ms < 0 ? `${what} ${duration(ms)} late` : `${what} due in ${duration(ms)}`,
  };
}

/** "waiting 5 h": how long the customer has waited since opening (unresolved tickets). */
export function waitingFor(openedAt: Date, now: Date): string {
  return `waiting ${duration(now.getTime() - openedAt.getTime())}`;
}

/** The instant before which a ticket's `sla_due_at` counts as breaching soon. */
export function breachingSoonBefore(now: Date, config: SlaConfig = slaConfig()): Date {
  return new Date(now.getTime() + config.breachingSoonHours * HOUR_MS);
}
