import * as z from 'zod';
import { defineContract } from '../contract.ts';
import { route } from '../route.ts';
import { ErrorBody } from '../errors.ts';
import { IdParams, PageQuery } from '../params.ts';

export const User = z.object({
  id: z.string(),
  email: z.email(),
  name: z.string().min(1).max(200),
  createdAt: z.iso.datetime(),
});
export type User = z.infer<typeof User>;

export const NewUser = z.object({
  email: z.email(),
  name: z.string().trim().min(1).max(200),
});

export const usersContract = defineContract({
  service: 'users',
  routes: {
    createUser: route({
      method: 'POST',
      path: '/users',
      body: NewUser,
      responses: { 201: User, 409: ErrorBody, 429: ErrorBody },
      summary: 'Create a user; 409 if the email is taken, 429 after too many attempts for one email',
    }),
    listUsers: route({
      method: 'GET',
      path: '/users',
      query: PageQuery,
      responses: { 200: z.object({ users: z.array(User), cursor: z.string().optional() }) },
    }),
    getUser: route({ method: 'GET', path: '/users/:id', params: IdParams, responses: { 200: User, 404: ErrorBody } }),
    deleteUser: route({ method: 'DELETE', path: '/users/:id', params: IdParams, responses: { 204: null, 404: ErrorBody } }),
  },
});
