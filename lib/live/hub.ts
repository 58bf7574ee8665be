import { getDb, getDbHandle } from '@/db';
import { PRESENCE_CHANNEL, STAFF_NOTICE_CHANNEL, TICKET_CHANNEL, type StaffNotice, type TicketChange } from './notify';
import { viewersOf, type Viewer } from './presence';

export type LiveEvent =
  | { type: 'ticket'; data: TicketChange }
  | { type: 'presence'; data: { ticketId: number; viewers: Viewer[] } }
  /** For one staff member only: the stream of anyone else drops it. */
  | { type: 'notice'; data: StaffNotice };

type Listener = (event: LiveEvent) => void;

/**
 * One LISTEN per app instance, fanned out to every open event stream of that instance. NOTIFY
 * reaches all instances, so a change made on one shows on the others.
 */
const hub = globalThis as unknown as { refundDeskLive?: { listeners: Set<Listener>; started?: Promise<void> } };
const state = (hub.refundDeskLive ??= { listeners: new Set() });

function broadcast(event: LiveEvent) {
  // One stream that fails (its client went away) must not keep the event from the others.
  for (const listener of state.listeners) {
    try {
      listener(event);
    } catch (error) {
      console.error('[live] a stream could not take an event', error);
    }
  }
}

async function start() {
  const handle = await getDbHandle();
  await handle.listen(TICKET_CHANNEL, (payload) => {
    try {
      broadcast({ type: 'ticket', data: JSON.parse(payload) as TicketChange });
    } catch {
      // not ours
    }
  });
  await handle.listen(STAFF_NOTICE_CHANNEL, (payload) => {
    try {
      const notice = JSON.parse(payload) as StaffNotice;
      if (Number.isSafeInteger(notice.staffId) && typeof notice.text === 'string') broadcast({ type: 'notice', data: notice });
    } catch {
      // not ours
    }
  });
  await handle.listen(PRESENCE_CHANNEL, (payload) => {
    const ticketId = Number(payload);
    if (!Number.isSafeInteger(ticketId)) return;
    void getDb()
      .then((db) => viewersOf(db, [ticketId]))
      .then((viewers) => broadcast({ type: 'presence', data: { ticketId, viewers: viewers[ticketId] ?? [] } }))
      .catch((error: unknown) => console.error('[live] presence lookup failed', error));
  });
}

export async function subscribe(listener: Listener): Promise<() => void> {
  state.started ??= start().catch((error: unknown) => {
    state.started = undefined;
    throw error;
  });
  await state.started;
  state.listeners.add(listener);
  return () => state.listeners.delete(listener);
}
