/**
 * Secret values are supplied through the environment, never through files in git:
 * `EDGEOPS_SECRET_<SERVICE>_<NAME>` (service name upper-cased, `-` → `_`), e.g. the secret
 * `API_KEY` of service `user-profile` reads `EDGEOPS_SECRET_USER_PROFILE_API_KEY`.
 */
export function secretEnvName(service: string, secret: string): string {
  const part = (text: string) => text.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return `EDGEOPS_SECRET_${part(service)}_${part(secret)}`;
}

export function readSecretValue(service: string, secret: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[secretEnvName(service, secret)];
  return value === undefined || value === '' ? undefined : value;
}
