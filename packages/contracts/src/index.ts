export * from './errors.ts';
export * from './common.ts';
export * from './access.ts';
export * from './auth.ts';
export * from './admin.ts';
export * from './health.ts';
export * from './tw.ts';
export * from './reference.ts';
