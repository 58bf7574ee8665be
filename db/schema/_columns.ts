import { bigint, numeric, timestamp, varchar } from 'drizzle-orm/pg-core';

/** Our own primary key: a bigint identity. "By default" so bulk seeding may supply ids. */
export const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity();
export const ref = (name: string) => bigint(name, { mode: 'number' });
/** Money: numeric(14,2), carried as a decimal string in TypeScript. */
export const money = (name: string) => numeric(name, { precision: 14, scale: 2 });
/**
 * The panel's money (order charges, payments, service rates): panels quote up to 8 decimals, kept
 * exactly as sent — an unconstrained numeric (the intake allows 12 digits before the point and 8
 * after it; a check on each column holds the 8), so "12.50" reads back as "12.50".
 */
export const panelMoney = (name: string) => numeric(name);
export const currency = (name = 'currency') => varchar(name, { length: 3 });
export const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
export const createdAt = () => at('created_at').notNull().defaultNow();
