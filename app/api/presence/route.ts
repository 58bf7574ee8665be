import { route } from '@/lib/http';
import { touchPresence } from '@/lib/live/presence';

/** POST /api/presence — `{ "ticketId": 12 }` every 20 s while a ticket is open (0: the queue); `"isLeaving": true` on leaving. */
export const POST = route({ auth: { staff: 'tickets.read' } }, async ({ ctx, body }) => touchPresence(ctx, body));
