import { hash, verify } from '@node-rs/argon2';

// argon2id (algorithm 2), 64 MiB, 4 passes: about 100 ms per hash on the 2-core reference machine.
const OPTIONS = { algorithm: 2, memoryCost: 65_536, timeCost: 4, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, OPTIONS);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of nothing anyone knows, verified against when the email is unknown so timing tells nothing. */
let dummyHash: Promise<string> | undefined;
export const getDummyHash = () => (dummyHash ??= hashPassword(`no-such-user-${Math.random()}`));
