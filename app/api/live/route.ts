import { route } from '@/lib/http';
import { openLiveStream } from '@/lib/live/session';
import { subscribe, type LiveEvent } from '@/lib/live/hub';

export const dynamic = 'force-dynamic';

const RECHECK_MS = 20_000;

/**
 * Server-sent events: ticket changes, presence and notices for the signed-in person (a review of their proposal), for as long as the session stays valid (the
 * user is re-checked every 20 s; a deactivated or signed-out user's stream ends).
 */
export const GET = route({ auth: { staff: 'tickets.read' } }, async ({ ctx, request }) => {
  const { recheck, release } = await openLiveStream(ctx);

  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      const send = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          // The client went away before the abort was heard: this stream is done.
          closed = true;
          cleanup();
        }
      };
      const close = () => {
        if (closed) return;
        closed = true;
        cleanup();
        controller.close();
      };
      const selfId = ctx.kind === 'staff' ? ctx.userId : null;
      const unsubscribe = await subscribe((event: LiveEvent) => {
        // A notice is for one person: only their own streams carry it.
        if (event.type === 'notice' && event.data.staffId !== selfId) return;
        send(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
      });
      const timer = setInterval(() => {
        recheck().then(
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
        release();
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
});
