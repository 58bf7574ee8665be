/**
 * Makes the records the end-to-end tests work on, with the lib factories, directly in the test
 * database (e2e/server.ts calls it before starting the server; nothing of this is in the app).
 */
import { writeFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Db } from '@/db';
import { providerJobs, staffUsers, tickets } from '@/db/schema';
import { setFindings, creditTicket, denyTicket } from '@/lib/decisions/test-helpers';
import { record } from '@/lib/audit';
import { proposeDecision } from '@/lib/decisions';
import { Canvas } from '@/lib/demo/png';
import { putEvidence } from '@/lib/evidence/storage';
import { enqueueProviderJob } from '@/lib/provider/outbox';
import { createBareTicket, createCustomer, createEvidenceRow, createOrderEvent, createOrderTicket } from '@/lib/tickets/test-factories';
import { fixtureFile, type E2eFixtures } from './fixture-file';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bandsOf, toHex, toSigned } from '@/lib/evidence/phash';
import { sanitiseImage } from '@/lib/evidence/sanitise';
import { profilePng, repostedCopy } from '@/lib/evidence/test-images';

const HOUR_MS = 3_600_000;

async function staffId(db: Db, email: string): Promise<number> {
  const [row] = await db.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.email, email));
  if (!row) throw new Error(`e2e fixtures: no staff user ${email} (the demo data makes it)`);
  return row.id;
}

/** A ticket on an order with a short timeline and one real, stored screenshot. */
async function ticketWithEvidence(db: Db, assigneeId: number) {
  const made = await createOrderTicket(db, { evidenceFiles: 0, ticket: { assigneeId } });
  const at = made.order.statusChangedAt.getTime();
  await createOrderEvent(db, made.order.id, 'created', new Date(at - 2 * HOUR_MS), { quantity: 1000 });
  await createOrderEvent(db, made.order.id, 'status_changed', new Date(at - HOUR_MS), { from: 'submitted', to: 'processing' });
  const canvas = new Canvas(360, 640, [245, 245, 245]);
  canvas.fillRect(0, 0, 360, 64, [64, 93, 230]);
  canvas.fillRect(24, 120, 312, 40, [200, 200, 200]);
  const png = canvas.toPng();
  const stored = await putEvidence(png);
  await createEvidenceRow(db, made.ticket.id, {
    sha256: stored.sha256,
    storageKey: stored.storageKey,
    mimeType: stored.mimeType,
    sizeBytes: stored.size,
    width: 360,
    height: 640,
  });
  return made.ticket.id;
}

/** An image stored as an upload would store it (re-encoded, thumbnail, pHash bands). */
async function uploadedImage(db: Db, ticketId: number, name: string, bytes: Buffer) {
  const dir = mkdtempSync(path.join(tmpdir(), 'rd-e2e-evidence-'));
  try {
    const file = path.join(dir, 'upload');
    writeFileSync(file, bytes);
    const image = await sanitiseImage(file, bytes[0] === 0xff ? 'image/jpeg' : 'image/png', 40_000_000);
    const [stored, thumb] = [await putEvidence(image.bytes), await putEvidence(image.thumbnail)];
    const [b0, b1, b2, b3] = bandsOf(image.phash);
    await createEvidenceRow(db, ticketId, {
      sha256: stored.sha256,
      storageKey: stored.storageKey,
      thumbnailKey: thumb.storageKey,
      mimeType: image.mimeType,
      sizeBytes: stored.size,
      width: image.width,
      height: image.height,
      perceptualHash: toHex(image.phash),
      phash: toSigned(image.phash),
      phashBand0: b0,
      phashBand1: b1,
      phashBand2: b2,
      phashBand3: b3,
      originalName: name,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Two tickets of two customers: the first with a profile screenshot, the second with a reposted copy of it. */
async function reusedScreenshot(db: Db, assigneeId: number) {
  const png = await profilePng({ handle: 'e2e.reuse', posts: '42', followers: '9,876', following: '321' });
  const first = (await createBareTicket(db, { assigneeId })).ticket.id;
  const second = (await createBareTicket(db, { assigneeId })).ticket.id;
  await uploadedImage(db, first, 'profile.png', png);
  await uploadedImage(db, second, 'proof.jpg', await repostedCopy(png));
  return { first, second };
}

/** An outbox job on a ticket of its own, put in the state given (as if the worker had tried it). */
async function troubledJob(db: Db, kind: 'refill' | 'customer_reply', state: Partial<typeof providerJobs.$inferInsert>) {
  const { ticket, customer, order } = await createOrderTicket(db);
  const job = await db.transaction((tx) =>
    enqueueProviderJob(tx, {
      kind,
      ticketId: ticket.id,
      payload: { ticketId: ticket.id, customerExternalId: customer.externalId, orderNumber: order.externalId, message: `e2e ${kind}` },
    }),
  );
  await db.update(providerJobs).set(state).where(eq(providerJobs.id, job.id));
  return job.id;
}

/** A ticket whose findings were saved twice (audit events with nested changes) and a decision proposed on it. */
async function ticketWithAuditTrail(db: Db, agentId: number) {
  const ticketId = (await createOrderTicket(db, { ticket: { assigneeId: agentId } })).ticket.id;
  const actor = { id: agentId, label: 'agent@demo.test', role: 'agent' };
  const origin = { via: 'ui' as const, ip: '203.0.113.9', userAgent: 'e2e fixture' };
  await db.transaction(async (tx) => {
    await record(tx, {
      actor,
      action: 'ticket.findings_saved',
      entityType: 'ticket',
      entityId: ticketId,
      before: { findings: { targetPublic: null, linkValid: true }, suggestedOutcome: 'verify' },
      after: { findings: { targetPublic: false, linkValid: true }, suggestedOutcome: 'deny' },
      reason: 'E2E audit trail: the profile was private in the screenshot',
      origin,
    });
    await record(tx, {
      actor,
      action: 'decision.proposed',
      entityType: 'decision',
      entityId: 990_000 + ticketId,
      before: { ticketId, ticketStatus: 'open' },
      after: { ticketId, state: 'awaiting_approval', outcome: 'deny', amount: null },
      reason: 'E2E audit trail: denying, target private',
      origin,
    });
  });
  return ticketId;
}

export async function createE2eFixtures(db: Db, port: string): Promise<E2eFixtures> {
  const agent = await staffId(db, 'agent@demo.test');
  const agent2 = await staffId(db, 'agent2@demo.test');
  // Assigned to the agent who works them, so "Next ticket" (unassigned only) never takes them.
  const assign = (ticketId: number, assigneeId: number) => db.update(tickets).set({ assigneeId }).where(eq(tickets.id, ticketId));

  const smallCredit = (await creditTicket(db)).ticket.id;
  const bigDeny = (await createOrderTicket(db, { order: { charge: '120.00' } })).ticket.id;
  await setFindings(db, bigDeny, { targetPublic: false });
  const denyToReject = (await denyTicket(db)).ticket.id;
  for (const id of [smallCredit, bigDeny, denyToReject]) await assign(id, agent);

  const toVerify = (await createOrderTicket(db, { ticket: { assigneeId: agent } })).ticket.id;
  const bare = (await createBareTicket(db, { assigneeId: agent })).ticket.id;

  const customer = async (name: string) => (await createCustomer(db, { username: `e2e_${name}_${Date.now().toString(36)}` })).username;

  const made: Omit<E2eFixtures, 'deliveries' | 'desk'> & Partial<Pick<E2eFixtures, 'deliveries' | 'desk'>> = {
    decisions: { smallCredit, bigDeny, denyToReject },
    ticketPage: { withEvidence: await ticketWithEvidence(db, agent), toVerify, forNote: await ticketWithEvidence(db, agent2), bare },
    audit: { ticket: await ticketWithAuditTrail(db, agent) },
    money: {
      cancelRequest: (
        await createOrderTicket(db, {
          order: { status: 'submitted', delivered: 0, charge: '4.20' },
          ticket: { claim: 'cancel_request', requestedRemedy: 'cancel', explanation: 'Please cancel, I ordered the wrong link' },
        })
      ).ticket.id,
    },
    apiKeys: { orderNumber: (await createOrderTicket(db, { ticket: { assigneeId: agent2 } })).order.externalId },
    evidence: { upload: (await createBareTicket(db, { assigneeId: agent })).ticket.id, reuse: await reusedScreenshot(db, agent) },
    credits: {
      goodwill: await customer('goodwill'),
      badInput: await customer('bad_input'),
      reversal: await customer('reversal'),
      secondAdmin: await customer('second_admin'),
    },
  };
  const deskTicket = async (made: Promise<{ ticket: { id: number } }>) => {
    const id = (await made).ticket.id;
    await assign(id, agent);
    return id;
  };
  const toApprove = await deskTicket(denyTicket(db));
  await proposeDecision(
    {
      kind: 'staff',
      userId: agent,
      sessionIssuedAt: Math.floor(Date.now() / 1000),
      origin: { via: 'ui', ip: '203.0.113.9', userAgent: 'e2e fixture' },
    },
    {
      ticketId: toApprove,
      outcome: 'balance_credit',
      amount: '3.00',
      reason: 'E2E: the customer sent a second screenshot showing the order never started.',
      idempotencyKey: `e2e-to-approve-${toApprove}`,
    },
  );
  made.desk = {
    follows: await deskTicket(creditTicket(db)),
    offersSwitch: await deskTicket(creditTicket(db)),
    conflict: await deskTicket(creditTicket(db)),
    overrideRoom: await deskTicket(denyTicket(db)),
    plainCredit: await deskTicket(creditTicket(db)),
    toApprove,
  };
  made.deliveries = {
    failed: await troubledJob(db, 'refill', { state: 'failed', attempts: 12, lastError: 'HTTP 503: panel is down for maintenance' }),
    refused: await troubledJob(db, 'customer_reply', {
      attempts: 1,
      lastError: 'HTTP 401: {"error":"invalid signature: bad signature"}',
      problem: 'HTTP 401: {"error":"invalid signature: bad signature"}',
      nextAttemptAt: new Date(Date.now() + HOUR_MS),
    }),
  };
  writeFileSync(fixtureFile(port), JSON.stringify(made, null, 2));
  return made as E2eFixtures;
}
