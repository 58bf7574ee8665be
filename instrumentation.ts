export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { ensureAuthSecretOrExit } = await import('./lib/config');
    ensureAuthSecretOrExit();
  }
}
