import { eq } from 'drizzle-orm';
import { getDb } from '@/db';
import { staffUsers, ticketFindings, tickets } from '@/db/schema';
import { auditActor, authorizeStaff, type Ctx } from '@/lib/auth/actor';
import { record } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { notifyTicketChanged } from '@/lib/live/notify';
import { FINDING_NAMES } from '@/lib/policy';
import { parseInput } from '@/lib/validation/parse';
import { saveFindingsSchema, type Findings } from '@/lib/validation/tickets';
import { checkClaimOf } from './claim';
import { refreshSuggestion } from './suggestion';

const FINDING_COLUMNS = {
  linkValid: ticketFindings.linkValid,
  targetPublic: ticketFindings.targetPublic,
  targetUnchanged: ticketFindings.targetUnchanged,
  duplicateOrderSameTarget: ticketFindings.duplicateOrderSameTarget,
  otherProvidersUsed: ticketFindings.otherProvidersUsed,
  platformAction: ticketFindings.platformAction,
  companyFault: ticketFindings.companyFault,
};

const onlyFindings = (row: Findings): Findings => Object.fromEntries(FINDING_NAMES.map((name) => [name, row[name]])) as Findings;

/**
 * Records the facts an agent verified on a ticket and re-runs the policy check on them, in one
 * transaction with its audit row. The ticket row is locked first, so two saves on one ticket run
 * one after the other; with `basedOn`, a save over findings someone else saved meanwhile is refused.
 * A resolved ticket's findings no longer change.
 */
export async function saveFindings(ctx: Ctx, input: unknown) {
  const { ticketId, findings, basedOn } = parseInput(saveFindingsSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const actor = await authorizeStaff(tx, ctx, 'tickets.work');
    const [ticket] = await tx
      .select({ id: tickets.id, status: tickets.status, suggestedOutcome: tickets.suggestedOutcome })
      .from(tickets)
      .where(eq(tickets.id, ticketId))
      .for('update');
    if (!ticket) throw new AppError('not_found', `There is no ticket T-${ticketId}.`);
    await checkClaimOf(tx, ticketId, actor);
    if (ticket.status === 'resolved') {
      throw new AppError('conflict', `Ticket T-${ticketId} is resolved, so its findings can no longer change.`);
    }
    const [old] = await tx
      .select({ ...FINDING_COLUMNS, updatedAt: ticketFindings.updatedAt, updatedBy: ticketFindings.updatedBy })
      .from(ticketFindings)
      .where(eq(ticketFindings.ticketId, ticketId));
    if (basedOn !== undefined) {
      const current = old ? old.updatedAt.getTime() : null;
      const expected = basedOn === null ? null : new Date(basedOn).getTime();
      if (current !== expected) {
        if (!old) throw new AppError('conflict', 'The findings you started from are gone. Reload the page, then save yours again.');
        const [by] =
          old.updatedBy === null ? [] : await tx.select({ name: staffUsers.name }).from(staffUsers).where(eq(staffUsers.id, old.updatedBy));
        const who = by?.name ?? 'someone else';
        // Their findings go back with the refusal: the form keeps the agent's edits and shows theirs beside them.
        throw new AppError(
          'conflict',
          `Findings were saved on this ticket after you opened it, by ${who}. Your changes are kept: compare them with theirs below, then save again to replace theirs, or take theirs.`,
          undefined,
          { theirs: { findings: onlyFindings(old), savedAt: old.updatedAt.toISOString(), savedBy: who } },
        );
      }
    }

    const now = new Date();
    const values = { ...findings, updatedBy: actor.id, updatedAt: now };
    await tx
      .insert(ticketFindings)
      .values({ ticketId, ...values })
      .onConflictDoUpdate({ target: ticketFindings.ticketId, set: values });
    const suggestion = await refreshSuggestion(tx, ticketId, now);

    await record(tx, {
      actor: auditActor(actor),
      action: 'ticket.findings_saved',
      entityType: 'ticket',
      entityId: ticketId,
      before: { findings: old ? onlyFindings(old) : null, suggestedOutcome: ticket.suggestedOutcome },
      after: { findings, suggestedOutcome: suggestion?.outcome ?? null, suggestedAmount: suggestion?.amount ?? null },
      origin: ctx.origin,
    });
    // The queue shows the suggested outcome: tell open queues, at commit, that this ticket changed.
    await notifyTicketChanged(tx, { id: ticketId, kind: 'updated' });
    return { ticketId, findings, updatedAt: now, updatedBy: { id: actor.id, name: actor.name }, suggestion };
  });
}
