export * from './result.ts';
export * from './median.ts';
export * from './process-memory.ts';
export * from './http-client.ts';
export * from './process-tree.ts';
export * from './cpu-tally.ts';
