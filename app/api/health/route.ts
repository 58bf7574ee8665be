import { sql } from 'drizzle-orm';
import { NextResponse } from 'next/server';
import { getDbHandle } from '@/db';

export async function GET() {
  try {
    const { db, kind } = await getDbHandle();
    await db.execute(sql`select 1`);
    return NextResponse.json({ status: 'ok', database: kind });
  } catch (error) {
    console.error('[health] database check failed', error);
    return NextResponse.json({ status: 'unavailable', reason: 'The database does not answer.' }, { status: 503 });
  }
}
