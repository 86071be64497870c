export * from './result.ts';
export * from './median.ts';
