export * from './accounts.ts';
export * from './access.ts';
export * from './audit.ts';
export * from './outbox.ts';
export * from './reference.ts';
export * from './programme.ts';
export * from './registry.ts';
export * from './imports.ts';
