export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    if (!process.env.DATABASE_URL) {
      // `npm start` is the production server (PostgreSQL). The embedded database is prepared by the
      // demo launcher (`npm run demo`, `npm run demo:start`); never serve an empty, unmigrated one.
      const { existsSync } = await import('node:fs');
      const path = await import('node:path');
      const dir = process.env.PGLITE_DIR ?? path.join(/*turbopackIgnore: true*/ process.cwd(), '.data', 'pglite');
      if (!existsSync(dir)) {
        console.error(
          `\nDATABASE_URL is not set and there is no embedded database in ${dir}. Set DATABASE_URL (and run \`npm run db:migrate\`) to start on PostgreSQL, or run \`npm run demo\` for the embedded demo.\n`,
        );
        process.exit(1);
      }
    }
    const { ensureAuthSecretOrExit } = await import('./lib/config');
    ensureAuthSecretOrExit();
    process.env.NEXTAUTH_URL ??= `http://localhost:${process.env.PORT ?? '3000'}`;
    // The embedded database serves this process only, so the outbox worker runs here (once per
    // process). On PostgreSQL it is its own process, `npm run worker`, unless WORKER_IN_PROCESS=1.
    if (!process.env.DATABASE_URL || process.env.WORKER_IN_PROCESS === '1') {
      const { startInProcessWorker } = await import('./lib/provider/in-process');
      void startInProcessWorker();
    }
  }
}
