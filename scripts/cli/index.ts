export { parsePort } from './port.ts';
export { isRunning } from './pid.ts';
export { groupAlive, signalGroup } from './process-group.ts';
