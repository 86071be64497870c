export * from './edge.ts';
export * from './faults/index.ts';
export type * from './snapshot.ts';
