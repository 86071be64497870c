export { parsePort } from './port.ts';
export { isRunning } from './pid.ts';
