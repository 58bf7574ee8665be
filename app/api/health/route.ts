import { NextResponse } from 'next/server';
import { checkHealth } from '@/lib/health';

/** GET /api/health — 200 `{ status: 'ok', database }`, or 503 with a reason within a second, never a hang. */
export async function GET() {
  const health = await checkHealth();
  return NextResponse.json(health, { status: health.status === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
