// `@edgeops/contracts/contracts` as the templates see it (tsconfig.json `paths`): the fleet's
// contracts plus each template's own, as if a service of every template had been scaffolded.
export * from '../../../../shared/src/contracts/index.ts';
export * from '../cron/shared/src/contracts/cron-sample.ts';
export * from '../http/shared/src/contracts/http-sample.ts';
export * from '../queue/shared/src/contracts/queue-sample.ts';
export * from '../durable/shared/src/contracts/durable-sample.ts';
