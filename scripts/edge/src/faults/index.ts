export * from './controller.ts';
export * from './rules.ts';
