import type { AuditAction } from '@/lib/audit/actions';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { getDb, type Tx } from '@/db';
import { staffUsers, ticketMessages, tickets } from '@/db/schema';
import { auditActor, authorizeStaff, type StaffActor, type Ctx } from '@/lib/auth/actor';
import { record } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { notifyTicketChanged } from '@/lib/live/notify';
import { parseInput } from '@/lib/validation/parse';
import { assignTicketSchema, claimTicketSchema } from '@/lib/validation/queue';

async function lockTicket(tx: Tx, ticketId: number) {
  const [ticket] = await tx
    .select({ id: tickets.id, status: tickets.status, assigneeId: tickets.assigneeId, assigneeName: staffUsers.name })
    .from(tickets)
    .leftJoin(staffUsers, eq(staffUsers.id, tickets.assigneeId))
    .where(eq(tickets.id, ticketId))
    .for('update', { of: tickets });
  if (!ticket) throw new AppError('not_found', `Ticket T-${ticketId} does not exist.`);
  return ticket;
}

/**
 * A claim protects a ticket: whoever acts on a ticket another person has claimed (decides, writes to
 * the customer or a note, records findings) is refused with this sentence, until they take it over
 * (`takeOverTicket`, the other person is told) or a supervisor reassigns it. Unclaimed tickets are
 * open to everyone.
 */
export function checkClaim(
  ticket: { id: number; assigneeId: number | null; assigneeName: string | null },
  actor: Pick<StaffActor, 'id'>,
): void {
  if (ticket.assigneeId === null || ticket.assigneeId === actor.id) return;
  const who = ticket.assigneeName ?? 'another person';
  throw new AppError(
    'conflict',
    `T-${ticket.id} is claimed by ${who}. Take it over first (${who} will be told), or ask a supervisor to reassign it.`,
  );
}

/** The claim check for core functions that have not read the assignee: reads it (the caller holds the ticket's row lock). */
export async function checkClaimOf(tx: Tx, ticketId: number, actor: Pick<StaffActor, 'id'>): Promise<void> {
  const [ticket] = await tx
    .select({ id: tickets.id, assigneeId: tickets.assigneeId, assigneeName: staffUsers.name })
    .from(tickets)
    .leftJoin(staffUsers, eq(staffUsers.id, tickets.assigneeId))
    .where(eq(tickets.id, ticketId));
  if (ticket) checkClaim(ticket, actor);
}

async function setAssignee(
  tx: Tx,
  ctx: Ctx,
  actor: StaffActor,
  ticketId: number,
  before: number | null,
  assigneeId: number | null,
  action: AuditAction,
) {
  await tx.update(tickets).set({ assigneeId, updatedAt: new Date() }).where(eq(tickets.id, ticketId));
  await record(tx, {
    actor: auditActor(actor),
    action,
    entityType: 'ticket',
    entityId: ticketId,
    before: { assigneeId: before },
    after: { assigneeId },
    origin: ctx.origin,
  });
  await notifyTicketChanged(tx, { id: ticketId, kind: 'updated' });
}

/** Takes an unassigned ticket. Claiming one's own ticket again changes nothing. */
export async function claimTicket(ctx: Ctx, input: unknown) {
  const { ticketId } = parseInput(claimTicketSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const actor = await authorizeStaff(tx, ctx, 'tickets.work');
    const ticket = await lockTicket(tx, ticketId);
    if (ticket.assigneeId === actor.id) return { ticketId, assigneeId: actor.id };
    if (ticket.status === 'resolved') throw new AppError('conflict', `Ticket T-${ticketId} is resolved; there is nothing left to claim.`);
    if (ticket.assigneeId !== null) {
      throw new AppError(
        'conflict',
        `Ticket T-${ticketId} is already claimed by ${ticket.assigneeName ?? 'someone else'}. A supervisor can reassign it.`,
      );
    }
    await setAssignee(tx, ctx, actor, ticketId, null, actor.id, 'ticket.claimed');
    return { ticketId, assigneeId: actor.id };
  });
}

/**
 * Takes over a ticket another person has claimed, explicitly: the ticket becomes the actor's, an
 * internal note tells the previous assignee (and everyone on the ticket) who took it, and the audit
 * row `ticket.taken_over` names both. On an unclaimed ticket it is a claim; on one's own, nothing.
 */
export async function takeOverTicket(ctx: Ctx, input: unknown) {
  const { ticketId } = parseInput(claimTicketSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const actor = await authorizeStaff(tx, ctx, 'tickets.take_over');
    const ticket = await lockTicket(tx, ticketId);
    if (ticket.assigneeId === actor.id) return { ticketId, assigneeId: actor.id, previous: null };
    if (ticket.status === 'resolved')
      throw new AppError('conflict', `Ticket T-${ticketId} is resolved; there is nothing left to take over.`);
    if (ticket.assigneeId === null) {
      await setAssignee(tx, ctx, actor, ticketId, null, actor.id, 'ticket.claimed');
      return { ticketId, assigneeId: actor.id, previous: null };
    }
    const previous = { id: ticket.assigneeId, name: ticket.assigneeName ?? 'another person' };
    await tx.insert(ticketMessages).values({
      ticketId,
      staffId: actor.id,
      isInternal: true,
      body: `${previous.name}: ${actor.name} took over T-${ticketId} from you.`,
      createdAt: new Date(),
    });
    await setAssignee(tx, ctx, actor, ticketId, ticket.assigneeId, actor.id, 'ticket.taken_over');
    return { ticketId, assigneeId: actor.id, previous };
  });
}

/** Whom a supervisor can give a ticket to: the active staff, by name. */
export async function listAssignees(ctx: Ctx): Promise<{ id: number; name: string; role: string }[]> {
  const db = await getDb();
  await authorizeStaff(db, ctx, 'tickets.assign');
  return db
    .select({ id: staffUsers.id, name: staffUsers.name, role: staffUsers.role })
    .from(staffUsers)
    .where(eq(staffUsers.isActive, true))
    .orderBy(asc(staffUsers.name), asc(staffUsers.id));
}

/** Supervisors and admins give a ticket to anyone active (or to nobody). */
export async function assignTicket(ctx: Ctx, input: unknown) {
  const { ticketId, assigneeId } = parseInput(assignTicketSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const actor = await authorizeStaff(tx, ctx, 'tickets.assign');
    const ticket = await lockTicket(tx, ticketId);
    if (assigneeId !== null) {
      const [assignee] = await tx.select({ isActive: staffUsers.isActive }).from(staffUsers).where(eq(staffUsers.id, assigneeId));
      if (!assignee?.isActive)
        throw new AppError('invalid', 'assigneeId: choose an active staff member.', { assigneeId: ['Choose an active staff member.'] });
    }
    if (ticket.assigneeId !== assigneeId) await setAssignee(tx, ctx, actor, ticketId, ticket.assigneeId, assigneeId, 'ticket.assigned');
    return { ticketId, assigneeId };
  });
}

/**
 * Claims the most urgent unassigned open ticket. Rows another transaction is claiming are skipped,
 * so two agents pressing "Next ticket" at once never get the same one.
 */
export async function claimNextTicket(ctx: Ctx) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const actor = await authorizeStaff(tx, ctx, 'tickets.work');
    const [next] = await tx
      .select({ id: tickets.id })
      .from(tickets)
      .where(and(eq(tickets.status, 'open'), isNull(tickets.assigneeId)))
      // The queue's default order: the next service-level due time first (tickets_status_sla_idx).
      .orderBy(sql`${tickets.slaDueAt} asc nulls last`, tickets.id)
      .limit(1)
      .for('update', { skipLocked: true });
    if (!next) throw new AppError('not_found', 'There are no unassigned open tickets left. Well done.');
    await setAssignee(tx, ctx, actor, next.id, null, actor.id, 'ticket.claimed');
    return { ticketId: next.id };
  });
}
