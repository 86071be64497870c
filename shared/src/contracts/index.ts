// One module per service contract; `npm run new` adds a line here for each new service.
export * from './notifications.ts';
export * from './orders.ts';
export * from './users.ts';
