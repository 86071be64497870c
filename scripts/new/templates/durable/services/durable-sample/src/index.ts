import { implement } from '@edgeops/contracts';
import { durableSampleContract } from '@edgeops/contracts/contracts';
import type { Env } from './env.ts';

// The Durable Object class must be exported by the Worker's main module.
export { DurableSampleCounter } from './counter.ts';

const counterOf = (env: Env, key: string) => env.DURABLE_SAMPLE.get(env.DURABLE_SAMPLE.idFromName(key));

export default implement<typeof durableSampleContract, Env>(durableSampleContract, {
  async getDurableSampleCount({ params, env }) {
    return { status: 200, body: { key: params.key, count: await counterOf(env, params.key).count() } };
  },

  async incrementDurableSampleCount({ params, env }) {
    return { status: 200, body: { key: params.key, count: await counterOf(env, params.key).increment() } };
  },
});
