export * from './edge.ts';
export * from './faults/index.ts';
export type * from './snapshot.ts';
export * from './ports.ts';
export * from './account-notice.ts';
export * from './seed.ts';
export * from './cli-options.ts';
