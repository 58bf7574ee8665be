export * from './staff';
export * from './panel';
export * from './tickets';
export * from './audit';
export * from './policy-params';
export * from './intake';
