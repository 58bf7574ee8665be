import { route } from '@/lib/http';
import { startAuditVerification } from '@/lib/audit/query';

/**
 * POST /api/v1/audit/verify — seals what waits and walks the chain against the signed checkpoints
 * (the check of `npm run audit:verify`). Streams JSON lines: `{"verified":n,"total":t}` while it
 * walks, then `{"result":…}`. Supervisors and admins.
 */
export const POST = route({ auth: { staff: 'audit.read' } }, async ({ ctx }) => {
  const run = await startAuditVerification(ctx);
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (value: unknown) => controller.enqueue(encoder.encode(JSON.stringify(value) + '\n'));
      try {
        const result = await run((verified, total) => send({ verified, total }));
        send({ result });
      } catch (error) {
        send({ error: error instanceof Error && 'code' in error ? error.message : 'The check could not run.' });
      }
      controller.close();
    },
  });
  return new Response(stream, { headers: { 'content-type': 'application/x-ndjson', 'cache-control': 'private, no-store' } });
});
