import type { User } from '@edgeops/contracts/contracts';

const userKey = (id: string) => `user:${id}`;
const emailKey = (email: string) => `email:${email.toLowerCase()}`;

/** Users in KV: one key per user, plus an email index so an address is taken once. */
export class UserStore {
  constructor(private readonly kv: KVNamespace) {}

  get(id: string): Promise<User | null> {
    return this.kv.get<User>(userKey(id), 'json');
  }

  async emailTaken(email: string): Promise<boolean> {
    return (await this.kv.get(emailKey(email))) !== null;
  }

  async put(user: User): Promise<void> {
    await this.kv.put(userKey(user.id), JSON.stringify(user));
    await this.kv.put(emailKey(user.email), user.id);
  }

  async delete(user: User): Promise<void> {
    await this.kv.delete(userKey(user.id));
    await this.kv.delete(emailKey(user.email));
  }

  async list(limit: number, cursor?: string): Promise<{ users: User[]; cursor?: string }> {
    const page = await this.kv.list({ prefix: 'user:', limit, ...(cursor ? { cursor } : {}) });
    const users = await Promise.all(page.keys.map((key) => this.kv.get<User>(key.name, 'json')));
    return {
      users: users.filter((user): user is User => user !== null),
      ...(page.list_complete ? {} : { cursor: page.cursor }),
    };
  }
}
