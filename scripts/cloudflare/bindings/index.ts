export * from './config.ts';
export * from './upload.ts';
export * from './from-config.ts';
export * from './miniflare.ts';
