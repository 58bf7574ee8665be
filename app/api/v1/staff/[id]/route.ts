import { AppError } from '@/lib/errors';
import { jsonObject, route } from '@/lib/http';
import { setStaffActive, setStaffRole } from '@/lib/staff';

/** PATCH /api/v1/staff/{id} — body `{ "isActive": false }` or `{ "role": "supervisor" }`. Admins only. */
export const PATCH = route<{ id: string }>({ auth: { staff: 'staff.manage' } }, async ({ ctx, body, params }) => {
  const input = { ...jsonObject(body, '{ "isActive": false } or { "role": "supervisor" }'), userId: params.id };
  if ('role' in input && 'isActive' in input) {
    throw new AppError('invalid', 'Change either the role or isActive in one request, not both.', {
      role: ['Send the role and isActive in separate requests.'],
    });
  }
  return 'role' in input ? setStaffRole(ctx, input) : setStaffActive(ctx, input);
});
