/**
 * `POST /client/v4/graphql`: the subset of Cloudflare's GraphQL Analytics API that gives Workers
 * invocations per script and version — `viewer.accounts(filter: {accountTag}).workersInvocationsAdaptive`
 * (https://developers.cloudflare.com/analytics/graphql-api/tutorials/querying-workers-metrics/).
 * Executed by graphql-js against the schema below, whose type names follow Cloudflare's schema
 * (`AccountWorkersInvocationsAdaptive…`). Answers `{data, errors}` as Cloudflare's endpoint does.
 */
import { buildSchema, execute, parse, specifiedRules, validate, VariablesInAllowedPositionRule, type FieldNode, type GraphQLResolveInfo } from 'graphql';
import * as z from 'zod';
import { DIMENSIONS, workersInvocations, type Dimension, type InvocationsFilter } from '../analytics/workers-invocations.ts';
import { InvocationLog } from '../analytics/invocation-log.ts';
import type { ApiApp, ApiContext } from './context.ts';

const SCHEMA = buildSchema(`
  scalar string
  scalar Time
  scalar uint64
  scalar float64

  type Query { viewer: Viewer }
  type Viewer { accounts(filter: AccountFilter_InputObject!): [Account!]! }
  input AccountFilter_InputObject { accountTag: string }

  type Account {
    workersInvocationsAdaptive(limit: uint64!, filter: AccountWorkersInvocationsAdaptiveFilter_InputObject, orderBy: [string!]): [AccountWorkersInvocationsAdaptive!]!
  }
  input AccountWorkersInvocationsAdaptiveFilter_InputObject {
    scriptName: string
    scriptVersion: string
    status: string
    datetime_geq: Time
    datetime_gt: Time
    datetime_leq: Time
    datetime_lt: Time
    AND: [AccountWorkersInvocationsAdaptiveFilter_InputObject!]
  }
  type AccountWorkersInvocationsAdaptive {
    dimensions: AccountWorkersInvocationsAdaptiveDimensions
    sum: AccountWorkersInvocationsAdaptiveSum
    quantiles: AccountWorkersInvocationsAdaptiveQuantiles
  }
  type AccountWorkersInvocationsAdaptiveDimensions { scriptName: string! scriptVersion: string! status: string! datetime: Time! }
  type AccountWorkersInvocationsAdaptiveSum { requests: uint64! errors: uint64! subrequests: uint64! cpuTimeUs: uint64! wallTime: uint64! }
  type AccountWorkersInvocationsAdaptiveQuantiles {
    cpuTimeP50: float64! cpuTimeP75: float64! cpuTimeP90: float64! cpuTimeP99: float64! cpuTimeP999: float64!
    wallTimeP50: float64! wallTimeP75: float64! wallTimeP90: float64! wallTimeP99: float64! wallTimeP999: float64!
  }
`);

// Cloudflare's scalars are lower-case (`string`); clients often declare `String`/`Time` variables
// for them, which the API accepts — so the position rule is not applied.
const RULES = specifiedRules.filter((rule) => rule !== VariablesInAllowedPositionRule);

const GraphqlRequest = z.object({
  query: z.string().min(1),
  variables: z.record(z.string(), z.unknown()).nullish(),
  operationName: z.string().nullish(),
});

/** The dimensions the query selects under `dimensions { … }`: the grouping. */
function requestedDimensions(info: GraphQLResolveInfo): Dimension[] {
  const known = new Set<string>(DIMENSIONS);
  const selected = info.fieldNodes.flatMap((node) => node.selectionSet?.selections ?? []);
  const dimensionsNode = selected.find((selection): selection is FieldNode => selection.kind === 'Field' && selection.name.value === 'dimensions');
  return (dimensionsNode?.selectionSet?.selections ?? []).flatMap((selection) =>
    selection.kind === 'Field' && known.has(selection.name.value) ? [selection.name.value as Dimension] : [],
  );
}

function rootValue(accountId: string, log: InvocationLog) {
  const account = {
    workersInvocationsAdaptive(args: { limit: number | string; filter?: InvocationsFilter }, _context: unknown, info: GraphQLResolveInfo) {
      return workersInvocations(log.between(), args.filter ?? {}, requestedDimensions(info), Number(args.limit));
    },
  };
  return {
    viewer: {
      accounts: (args: { filter: { accountTag?: string } }) => (args.filter.accountTag === accountId ? [account] : []),
    },
  };
}

export function registerGraphql(app: ApiApp, { store, invocations }: ApiContext): void {
  app.post('/graphql', async (c) => {
    const parsed = GraphqlRequest.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ data: null, errors: [{ message: 'expected a JSON body {"query": "...", "variables": {...}}' }] }, 400);
    let document;
    try {
      document = parse(parsed.data.query);
    } catch (error) {
      return c.json({ data: null, errors: [{ message: error instanceof Error ? error.message : String(error) }] });
    }
    const invalid = validate(SCHEMA, document, RULES);
    if (invalid.length > 0) return c.json({ data: null, errors: invalid.map((error) => error.toJSON()) });
    const result = await execute({
      schema: SCHEMA,
      document,
      rootValue: rootValue(store.state.account.id, invocations ?? new InvocationLog()),
      variableValues: parsed.data.variables ?? {},
      operationName: parsed.data.operationName ?? null,
    });
    return c.json({ data: result.data ?? null, errors: result.errors ? result.errors.map((error) => error.toJSON()) : null });
  });
}
