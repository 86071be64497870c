/** The service binding through which the edge's tail worker hands traces to the edge process. */
export const INVOCATIONS_BINDING = 'EDGE_INVOCATIONS';
