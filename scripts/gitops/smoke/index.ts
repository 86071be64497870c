export { noInputRoutes, type NoInputRoute } from './no-input-routes.ts';
export { environmentUrl, smokeChecks, type SmokeCall, type SmokeCheck, type SmokeSkip } from './checks.ts';
export { httpGet, HttpGetError, type HttpAnswer, type HttpGetOptions } from './http-get.ts';
export { renderSmoke, SmokeReport, SmokeResult } from './report.ts';
export { DEFAULT_SMOKE_TIMEOUT_MS, runSmoke, type SmokeOptions } from './run.ts';
