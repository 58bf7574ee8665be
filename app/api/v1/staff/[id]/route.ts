import { staffRoute } from '@/lib/http';
import { setStaffActive, setStaffRole } from '@/lib/staff';

/** PATCH /api/v1/staff/{id} — body `{ "isActive": false }` or `{ "role": "supervisor" }`. Admins only. */
export const PATCH = staffRoute<{ id: string }>(async (ctx, body, { id }) => {
  const input = { ...(body as object), userId: id };
  return 'role' in input ? setStaffRole(ctx, input) : setStaffActive(ctx, input);
});
