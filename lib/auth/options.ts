import { randomUUID } from 'node:crypto';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getDb } from '@/db';
import { isAppError } from '@/lib/errors';
import { loginSchema } from '@/lib/validation/auth';
import { readSessionUser } from './actor';
import { originFromHeaders, safeCallbackPath } from './origin';
import { recordSignOut, signInWithPassword } from './sign-in';

export const SESSION_MAX_AGE_S = 8 * 60 * 60;

export const authOptions: NextAuthOptions = {
  secret: process.env.NEXTAUTH_SECRET,
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_S },
  jwt: { maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: '/login', error: '/login' },
  providers: [
    CredentialsProvider({
      name: 'Email and password',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, req) {
        const parsed = loginSchema.safeParse(credentials ?? {});
        if (!parsed.success) throw new Error('Enter your email address and password.');
        try {
          const actor = await signInWithPassword(await getDb(), {
            ...parsed.data,
            origin: originFromHeaders(req?.headers),
          });
          return { id: String(actor.id), email: actor.email, name: actor.name, role: actor.role };
        } catch (error) {
          // next-auth passes the message of a thrown error to the sign-in form.
          if (isAppError(error)) throw new Error(error.message);
          throw error;
        }
      },
    }),
  ],
  callbacks: {
    // Only ever back to a path of this app (next-auth's own check lets `/\\evil.example` through).
    redirect({ url, baseUrl }) {
      const path = url.startsWith(baseUrl) ? url.slice(baseUrl.length) || '/' : url;
      return `${baseUrl}${safeCallbackPath(path)}`;
    },
    jwt({ token, user }) {
      if (user) {
        token.uid = Number(user.id);
        token.role = user.role;
        token.signedInAt = Math.floor(Date.now() / 1000);
        token.sid = randomUUID();
      }
      return token;
    },
    // `/api/auth/session` and every page agree: a signed-out session or a deactivated account has no user.
    async session({ session, token }) {
      const user = await readSessionUser(await getDb(), { userId: token.uid, sessionId: token.sid, sessionIssuedAt: token.signedInAt });
      if (!user) return { expires: session.expires } as typeof session;
      session.user = { id: user.id, email: user.email, name: user.name, role: user.role };
      session.signedInAt = token.signedInAt;
      session.sessionId = token.sid;
      return session;
    },
  },
  events: {
    async signOut({ token }) {
      if (token?.uid && token.sid) {
        const expiresAt = new Date((token.signedInAt + SESSION_MAX_AGE_S) * 1000);
        await recordSignOut(await getDb(), { userId: token.uid, sessionId: token.sid, expiresAt }, { via: 'ui' });
      }
    },
  },
};
