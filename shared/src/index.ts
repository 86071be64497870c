export { defineContract, type Contract } from './contract.ts';
export { route, type Method, type Route, type ResponseMap, type RequestParts, type ResponseOf } from './route.ts';
export { validate, type Schema, type InputOf, type OutputOf, type Issue, type Validation } from './schema.ts';
export { IdParams, PageLimit, PageQuery } from './params.ts';
export { ErrorBody, HttpError, IMPLICIT_ERROR_STATUSES, type ImplicitErrorStatus } from './errors.ts';
export { DEFAULT_MAX_BODY_BYTES } from './body.ts';
export {
  implement,
  type Handler,
  type HandlerInput,
  type Handlers,
  type Provider,
  type ProviderOptions,
  type ExecutionContextLike,
} from './server.ts';
export { createClient, ContractViolation, type Client, type ClientResult, type ClientTarget, type ClientOptions, type FetcherLike } from './client.ts';
export {
  openApiDocument,
  openApiPath,
  wireSchema,
  OPENAPI_PATH,
  ERROR_BODY_REF,
  type DocumentOptions,
  type JsonSchema,
  type OpenApiDocument,
  type OpenApiOperation,
  type OpenApiParameter,
  type OpenApiPathItem,
  type OpenApiResponse,
} from './openapi.ts';
