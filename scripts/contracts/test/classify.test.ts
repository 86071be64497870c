import { defineContract, ErrorBody, openApiDocument, route, type Contract } from '@edgeops/contracts';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { classifyChanges } from '../classify.ts';

/**
 * A small contract every case edits: each edit is written as zod, turned into OpenAPI by the same
 * generator as the committed documents, and classified. The label is what a consumer experiences.
 */
const Widget = z.object({
  id: z.string(),
  name: z.string().min(1).max(200),
  color: z.enum(['red', 'green', 'blue']),
  priceCents: z.number().int().min(0),
  tags: z.array(z.string()),
  note: z.string().optional(),
  owner: z.object({ id: z.string(), email: z.email() }),
});
const NewWidget = z.object({
  name: z.string().min(1).max(200),
  color: z.enum(['red', 'green', 'blue']),
  priceCents: z.number().int().min(0).max(1_000_000),
  note: z.string().max(500).optional(),
  tags: z.array(z.string().max(20)).max(10).optional(),
});
const WidgetId = z.object({ id: z.string().min(1).max(64) });
const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), color: z.enum(['red', 'green', 'blue']).optional() });
const WidgetCreated = z.object({ type: z.literal('widget.created'), widgetId: z.string(), priceCents: z.number().int(), at: z.iso.datetime() });

interface Parts {
  widget: z.ZodType;
  newWidget: z.ZodType;
  widgetId: z.ZodType;
  listQuery: z.ZodType;
  created: z.ZodType;
  getPath: string;
  getResponses: { [status: number]: z.ZodType | null };
  extraRoutes: Contract['routes'];
  dropList: boolean;
  dropEvent: boolean;
  deleteMethod: 'DELETE' | 'POST';
}

const BASE: Parts = {
  widget: Widget,
  newWidget: NewWidget,
  widgetId: WidgetId,
  listQuery: ListQuery,
  created: WidgetCreated,
  getPath: '/widgets/:id',
  getResponses: { 200: Widget, 404: ErrorBody },
  extraRoutes: {},
  dropList: false,
  dropEvent: false,
  deleteMethod: 'DELETE',
};

function contract(edit: Partial<Parts> = {}): Contract {
  const parts = { ...BASE, ...edit, getResponses: edit.getResponses ?? { 200: edit.widget ?? Widget, 404: ErrorBody } };
  const routes: Contract['routes'] = {
    createWidget: route({ method: 'POST', path: '/widgets', body: parts.newWidget, responses: { 201: parts.widget, 409: ErrorBody } }),
    getWidget: route({ method: 'GET', path: parts.getPath, params: parts.widgetId, responses: parts.getResponses }),
    deleteWidget: route({ method: parts.deleteMethod, path: '/widgets/:id', params: parts.widgetId, responses: { 204: null, 404: ErrorBody } }),
    ...(parts.dropList ? {} : { listWidgets: route({ method: 'GET', path: '/widgets', query: parts.listQuery, responses: { 200: z.object({ widgets: z.array(parts.widget) }) } }) }),
    ...parts.extraRoutes,
  };
  return defineContract({ service: 'widgets', routes, ...(parts.dropEvent ? {} : { events: { widgetCreated: parts.created } }) });
}

const doc = (edit?: Partial<Parts>) => openApiDocument(contract(edit), { version: '1.0.0' });

/** The edit, its label, and where needed a different starting point (`base`, applied under the edit too). */
type Case = [name: string, edit: Partial<Parts>, label: 'breaking' | 'non-breaking', base?: Partial<Parts>];

const CASES: Case[] = [
  // Routes, methods, statuses
  ['route removed', { dropList: true }, 'breaking'],
  ['method removed (DELETE became POST)', { deleteMethod: 'POST' }, 'breaking'],
  ['route added', { extraRoutes: { countWidgets: route({ method: 'GET', path: '/widgets/count', responses: { 200: z.object({ count: z.number() }) } }) } }, 'non-breaking'],
  ['method added on an existing path', { extraRoutes: { replaceWidget: route({ method: 'PUT', path: '/widgets/:id', params: WidgetId, body: NewWidget, responses: { 200: Widget } }) } }, 'non-breaking'],
  ['declared error status removed (422)', { getResponses: { 200: Widget, 404: ErrorBody } }, 'breaking', { getResponses: { 200: Widget, 404: ErrorBody, 422: ErrorBody } }],
  ['an implicit error status undeclared (404 is still answered with the error body)', { getResponses: { 200: Widget, 404: ErrorBody, 410: ErrorBody } }, 'non-breaking', { getResponses: { 200: Widget } }],
  ['success status removed (200 → 202)', { getResponses: { 202: Widget, 404: ErrorBody } }, 'breaking'],
  ['error status added with the error body', { getResponses: { 200: Widget, 404: ErrorBody, 410: ErrorBody } }, 'non-breaking'],
  ['success status added', { getResponses: { 200: Widget, 203: Widget, 404: ErrorBody } }, 'breaking'],

  // Response bodies (what a consumer receives)
  ['response field removed', { widget: Widget.omit({ color: true }) }, 'breaking'],
  ['response field renamed', { widget: Widget.omit({ name: true }).extend({ title: z.string().min(1).max(200) }) }, 'breaking'],
  ['response field made optional', { widget: Widget.extend({ name: z.string().min(1).max(200).optional() }) }, 'breaking'],
  ['response field made nullable', { widget: Widget.extend({ name: z.string().min(1).max(200).nullable() }) }, 'breaking'],
  ['response field type changed (integer → string)', { widget: Widget.extend({ priceCents: z.string() }) }, 'breaking'],
  ['response field type narrowed (number → integer)', { widget: Widget }, 'breaking', { widget: Widget.extend({ priceCents: z.number().min(0) }) }],
  ['response enum narrowed', { widget: Widget.extend({ color: z.enum(['red', 'green']) }) }, 'breaking'],
  ['response enum widened', { widget: Widget.extend({ color: z.enum(['red', 'green', 'blue', 'black']) }) }, 'breaking'],
  ['response constraint loosened (maxLength 200 → 500)', { widget: Widget.extend({ name: z.string().min(1).max(500) }) }, 'breaking'],
  ['response constraint tightened (maxLength 200 → 100)', { widget: Widget.extend({ name: z.string().min(1).max(100) }) }, 'non-breaking'],
  ['response field added', { widget: Widget.extend({ weightGrams: z.number() }) }, 'non-breaking'],
  ['optional response field added', { widget: Widget.extend({ label: z.string().optional() }) }, 'non-breaking'],
  ['optional response field made required', { widget: Widget.extend({ note: z.string() }) }, 'non-breaking'],
  ['nested response field removed', { widget: Widget.extend({ owner: z.object({ id: z.string() }) }) }, 'breaking'],
  ['response array items changed type', { widget: Widget.extend({ tags: z.array(z.number()) }) }, 'breaking'],
  ['response field no longer nullable', { widget: Widget }, 'breaking', { widget: Widget.extend({ note: z.string().nullable().optional() }) }],

  // Request bodies (what a consumer sends)
  ['required request field added', { newWidget: NewWidget.extend({ sku: z.string() }) }, 'breaking'],
  ['optional request field added', { newWidget: NewWidget.extend({ sku: z.string().optional() }) }, 'non-breaking'],
  ['request field added with a default', { newWidget: NewWidget.extend({ quantity: z.number().int().default(1) }) }, 'non-breaking'],
  ['optional request field made required', { newWidget: NewWidget.extend({ note: z.string().max(500) }) }, 'breaking'],
  ['required request field made optional', { newWidget: NewWidget.extend({ color: z.enum(['red', 'green', 'blue']).optional() }) }, 'non-breaking'],
  ['request constraint tightened (max 1e6 → 1e5)', { newWidget: NewWidget.extend({ priceCents: z.number().int().min(0).max(100_000) }) }, 'breaking'],
  ['request constraint loosened (max 1e6 → 1e7)', { newWidget: NewWidget.extend({ priceCents: z.number().int().min(0).max(10_000_000) }) }, 'non-breaking'],
  ['request constraint added (pattern)', { newWidget: NewWidget.extend({ name: z.string().min(1).max(200).regex(/^[a-z]+$/) }) }, 'breaking'],
  ['request constraint removed (max length)', { newWidget: NewWidget.extend({ note: z.string().optional() }) }, 'non-breaking'],
  ['request enum narrowed', { newWidget: NewWidget.extend({ color: z.enum(['red', 'green']) }) }, 'breaking'],
  ['request enum widened', { newWidget: NewWidget.extend({ color: z.enum(['red', 'green', 'blue', 'black']) }) }, 'non-breaking'],
  ['request type widened (integer → number)', { newWidget: NewWidget.extend({ priceCents: z.number().min(0).max(1_000_000) }) }, 'non-breaking'],
  ['request type narrowed (string → integer)', { newWidget: NewWidget.extend({ name: z.number().int() }) }, 'breaking'],
  ['request field made nullable', { newWidget: NewWidget.extend({ note: z.string().max(500).nullable().optional() }) }, 'non-breaking'],
  ['request field removed (the service ignores it)', { newWidget: NewWidget.omit({ note: true }) }, 'breaking'],
  ['request array constraint tightened (maxItems 10 → 5)', { newWidget: NewWidget.extend({ tags: z.array(z.string().max(20)).max(5).optional() }) }, 'breaking'],
  ['request array item loosened (maxLength 20 → 40)', { newWidget: NewWidget.extend({ tags: z.array(z.string().max(40)).max(10).optional() }) }, 'non-breaking'],

  // Path and query parameters
  ['path parameter renamed', { getPath: '/widgets/:widgetId', widgetId: z.object({ widgetId: z.string().min(1).max(64) }) }, 'breaking'],
  ['path changed', { getPath: '/items/:id' }, 'breaking'],
  ['path parameter constraint tightened', { widgetId: z.object({ id: z.string().min(1).max(32) }) }, 'breaking'],
  ['path parameter constraint loosened', { widgetId: z.object({ id: z.string().min(1).max(128) }) }, 'non-breaking'],
  ['query parameter removed', { listQuery: ListQuery.omit({ color: true }) }, 'breaking'],
  ['query parameter made required', { listQuery: ListQuery.extend({ color: z.enum(['red', 'green', 'blue']) }) }, 'breaking'],
  ['required query parameter added', { listQuery: ListQuery.extend({ owner: z.string() }) }, 'breaking'],
  ['optional query parameter added', { listQuery: ListQuery.extend({ owner: z.string().optional() }) }, 'non-breaking'],
  ['query parameter type changed (integer → boolean)', { listQuery: ListQuery.extend({ limit: z.coerce.boolean().default(false) }) }, 'breaking'],
  ['query parameter range tightened (max 100 → 50)', { listQuery: ListQuery.extend({ limit: z.coerce.number().int().min(1).max(50).default(20) }) }, 'breaking'],

  // Events (what a queue consumer receives)
  ['event removed', { dropEvent: true }, 'breaking'],
  ['event field removed', { created: WidgetCreated.omit({ priceCents: true }) }, 'breaking'],
  ['event field narrowed (number → integer)', { created: WidgetCreated }, 'breaking', { created: WidgetCreated.extend({ priceCents: z.number() }) }],
  ['event field constraint loosened', { created: WidgetCreated.extend({ widgetId: z.string() }) }, 'breaking', { created: WidgetCreated.extend({ widgetId: z.string().max(64) }) }],
  ['event field type changed', { created: WidgetCreated.extend({ priceCents: z.string() }) }, 'breaking'],
  ['event literal changed', { created: WidgetCreated.extend({ type: z.literal('widget.made') }) }, 'breaking'],
  ['event field made optional', { created: WidgetCreated.extend({ at: z.iso.datetime().optional() }) }, 'breaking'],
  ['event field added', { created: WidgetCreated.extend({ requestId: z.string().optional() }) }, 'non-breaking'],
];

describe('classify: each contract edit, from the consumer\'s side', () => {
  it('has a table of at least 40 edits', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  for (const [name, edit, label, base = {}] of CASES) {
    it(`${label}: ${name}`, () => {
      const changes = classifyChanges(doc(base), doc({ ...base, ...edit }));
      expect(changes, 'the edit is not seen as an API change at all').not.toEqual([]);
      const breaking = changes.filter((change) => change.class === 'breaking');
      const explained = JSON.stringify(changes, null, 1);
      if (label === 'breaking') expect(breaking.length, explained).toBeGreaterThan(0);
      else expect(breaking, explained).toEqual([]);
    });
  }

  it('finds nothing between a document and itself', () => {
    expect(classifyChanges(doc(), doc())).toEqual([]);
  });

  it('names the route, location and field of a removed response field', () => {
    const changes = classifyChanges(doc(), doc({ widget: Widget.extend({ owner: z.object({ id: z.string() }) }) }));
    expect(changes).toContainEqual({ route: 'GET /widgets/{id}', location: 'response 200 body', field: 'owner.email', class: 'breaking', what: 'removed' });
  });
});
