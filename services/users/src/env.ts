import type { SignupLimiter } from './signup-limiter.ts';

export interface Env {
  USERS: KVNamespace;
  SIGNUPS: DurableObjectNamespace<SignupLimiter>;
  /** Sign-up attempts allowed per email address within the window. */
  SIGNUP_LIMIT: string;
  SIGNUP_WINDOW_SECONDS: string;
}
