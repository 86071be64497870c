import type { Contract, Route } from '@edgeops/contracts';

/** A contract route a smoke test can call as it is: `GET`, no path parameter, no required query, no body. */
export interface NoInputRoute {
  operation: string;
  route: Route;
}

/** Whether `{}` passes the route's query schema, i.e. every query parameter is optional or has a default. */
async function queryOptional(route: Route): Promise<boolean> {
  if (!route.query) return true;
  const result = await route.query['~standard'].validate({});
  return !result.issues;
}

/** The routes of `contract` that need no input, in the contract's order. */
export async function noInputRoutes(contract: Contract): Promise<NoInputRoute[]> {
  const found: NoInputRoute[] = [];
  for (const [operation, route] of Object.entries(contract.routes)) {
    if (route.method !== 'GET' || route.params || route.body || route.path.includes(':')) continue;
    if (await queryOptional(route)) found.push({ operation, route });
  }
  return found;
}
