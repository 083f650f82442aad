import type { webhooksCommands } from '@headlesskey/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../api/api.js';

/** The API's own shapes, as types only: nothing of the contracts' schemas reaches the bundle. */
export type Webhook = webhooksCommands.WebhookView;
/** What the form sends: event types as chosen, checked by the API, which owns the list. */
export type WebhookInput = { url: string; description: string; events: string[]; enabled: boolean };
export type Delivery = webhooksCommands.DeliveryView;
type DeliveryPage = { deliveries: Delivery[]; next_cursor: string | null };

const ALL = ['webhooks'];
const one = (id: string) => ['webhooks', id];
const path = (id: string) => `/webhooks/${encodeURIComponent(id)}`;
/** How often the newest deliveries are read again while a webhook is open: they change by themselves. */
const LIVE_MS = 2_000;

export function useWebhooks() {
  const api = useApi();
  return useQuery({ queryKey: ALL, queryFn: () => api.get<{ webhooks: Webhook[] }>('/webhooks'), select: (reply) => reply.webhooks });
}

export function useWebhook(id: string) {
  const api = useApi();
  return useQuery({ queryKey: one(id), queryFn: () => api.get<Webhook>(path(id)) });
}

/** A page of the delivery log; the first page (no cursor) follows new deliveries as they come. */
export function useDeliveries(id: string, cursor: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: [...one(id), 'deliveries', cursor ?? ''],
    queryFn: () => api.get<DeliveryPage>(`${path(id)}/deliveries`, { per_page: 20, cursor }),
    refetchInterval: cursor ? false : LIVE_MS,
    placeholderData: keepPreviousData,
  });
}

export function useCreateWebhook() {
  const api = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (input: WebhookInput) => api.send<Webhook & { secret: string }>('POST', '/webhooks', input),
    onSuccess: () => queries.invalidateQueries({ queryKey: ALL }),
  });
}

export function useUpdateWebhook(id: string) {
  const api = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (patch: Partial<WebhookInput>) => api.send<Webhook>('PATCH', path(id), patch),
    onSuccess: (webhook) => {
      queries.setQueryData(one(id), webhook);
      void queries.invalidateQueries({ queryKey: ALL, exact: true });
    },
  });
}

export function useDeleteWebhook(id: string) {
  const api = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: () => api.send('DELETE', path(id)),
    onSuccess: () => {
      queries.removeQueries({ queryKey: one(id) });
      void queries.invalidateQueries({ queryKey: ALL, exact: true });
    },
  });
}

export function useRotateWebhookSecret(id: string) {
  const api = useApi();
  return useMutation({
    mutationFn: () => api.send<{ secret: string; previous_secret_expires_at: string }>('POST', `${path(id)}/rotate-secret`),
  });
}

/** The deliveries are read again at once after a delivery was queued or queued again. */
function useRefreshDeliveries(id: string) {
  const queries = useQueryClient();
  return () => queries.invalidateQueries({ queryKey: [...one(id), 'deliveries'] });
}

export function useSendTestEvent(id: string) {
  const api = useApi();
  const onSuccess = useRefreshDeliveries(id);
  return useMutation({ mutationFn: () => api.send<Delivery>('POST', `${path(id)}/test`), onSuccess });
}

export function useRedeliver(id: string) {
  const api = useApi();
  const onSuccess = useRefreshDeliveries(id);
  return useMutation({
    mutationFn: (deliveryId: string) => api.send<Delivery>('POST', `${path(id)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`),
    onSuccess,
  });
}
