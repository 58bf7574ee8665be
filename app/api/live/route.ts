import { getDb } from '@/db';
import { AREA_ROLES, requireActor } from '@/lib/auth/actor';
import { getCtx } from '@/lib/auth/session';
import { problem } from '@/lib/http';
import { subscribe, type LiveEvent } from '@/lib/live/hub';
import { toFailure } from '@/lib/transport';

export const dynamic = 'force-dynamic';

const RECHECK_MS = 20_000;

/**
 * Server-sent events: ticket changes and presence, for as long as the session stays valid (the
 * user is re-checked every 20 s; a deactivated or signed-out user's stream ends).
 */
export async function GET(request: Request) {
  const ctx = await getCtx('api');
  if (!ctx) return problem(401, 'unauthenticated', 'Sign in first: live updates need a staff session.');
  const db = await getDb();
  try {
    await requireActor(db, ctx, AREA_ROLES.tickets);
  } catch (error) {
    const failure = toFailure(error);
    return problem(failure.code === 'forbidden' ? 403 : 401, failure.code, failure.message);
  }

  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const close = () => {
        if (closed) return;
        closed = true;
        cleanup();
        controller.close();
      };
      const unsubscribe = await subscribe((event: LiveEvent) => send(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`));
      const timer = setInterval(() => {
        requireActor(db, ctx, AREA_ROLES.tickets).then(
          () => send(': still here\n\n'),
          () => {
            send('event: ended\ndata: {}\n\n');
            close();
          },
        );
      }, RECHECK_MS);
      cleanup = () => {
        clearInterval(timer);
        unsubscribe();
      };
      request.signal.addEventListener('abort', close);
      send('retry: 5000\n: connected\n\n');
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no' },
  });
}
