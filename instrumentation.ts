export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { ensureAuthSecret } = await import('./lib/config');
  try {
    ensureAuthSecret();
  } catch (error) {
    console.error(`\n${(error as Error).message}\n`);
    process.exit(1);
  }
}
