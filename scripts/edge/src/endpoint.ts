/** `<stateDir>/endpoint.json`: how any client finds a running edge. */
import { join } from 'node:path';
import { readJsonFile, writeJsonFile } from './store/files.ts';

export interface EndpointInfo {
  apiUrl: string;
  url: string;
  accountId: string;
  token: string;
}

export function endpointPath(stateDir: string): string {
  return join(stateDir, 'endpoint.json');
}

export async function writeEndpoint(stateDir: string, info: EndpointInfo): Promise<void> {
  await writeJsonFile(endpointPath(stateDir), info);
}

export function readEndpoint(stateDir: string): Promise<EndpointInfo | undefined> {
  return readJsonFile<EndpointInfo>(endpointPath(stateDir));
}
