export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { ensureAuthSecretOrExit } = await import('./lib/config');
    ensureAuthSecretOrExit();
    // The embedded database serves this process only, so the outbox worker runs here (once per
    // process). On PostgreSQL it is its own process, `npm run worker`, unless WORKER_IN_PROCESS=1.
    if (!process.env.DATABASE_URL || process.env.WORKER_IN_PROCESS === '1') {
      const { startInProcessWorker } = await import('./lib/provider/in-process');
      void startInProcessWorker();
    }
  }
}
