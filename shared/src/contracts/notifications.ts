import * as z from 'zod';
import { defineContract } from '../contract.ts';
import { route } from '../route.ts';
import { PageLimit } from '../params.ts';

export const Notification = z.object({
  id: z.string(),
  userId: z.string(),
  kind: z.literal('order.created'),
  message: z.string(),
  orderId: z.string(),
  createdAt: z.iso.datetime(),
});
export type Notification = z.infer<typeof Notification>;

export const notificationsContract = defineContract({
  service: 'notifications',
  routes: {
    listNotifications: route({
      method: 'GET',
      path: '/notifications',
      query: z.object({ userId: z.string().min(1).optional(), limit: PageLimit }),
      responses: { 200: z.object({ notifications: z.array(Notification) }) },
      summary: 'Most recent notifications first',
    }),
  },
});
