import type { StaffRole } from '@/db/schema';

declare module 'next-auth' {
  interface User {
    role: StaffRole;
  }
  interface Session {
    user: { id: number; email: string; name: string; role: StaffRole };
    signedInAt: number;
    sessionId: string;
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    uid: number;
    role: StaffRole;
    /** Seconds since the epoch when the user signed in; survives token refreshes. */
    signedInAt: number;
    /** Random id of this session, so signing out can revoke exactly it. */
    sid: string;
  }
}
