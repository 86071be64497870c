export { loadFleet, serviceDirs, type Fleet, type FleetService } from './load.ts';
export { checkFleet, FLEET_CHECKS, type FleetCheck } from './check.ts';
export { bundleService, esbuildOptions, type ServiceBundle, type BundleModule, type BundleOptions } from './bundle.ts';
export { mergeServiceConfig, type MergedServiceConfig } from './merge.ts';
export { declaredRoutes, type DeclaredRoute } from './routes.ts';
export { workerOptions } from './miniflare.ts';
export { routeUrlLines } from './route-urls.ts';
export { ConfigError, formatIssue, type ConfigIssue } from './errors.ts';
export { RootConfig, ServiceConfig, ServicePackage, SCRIPT_NAME, RouteConfig } from './schema.ts';
