import type { auditCommands, tokensCommands, webhooksCommands } from '@headlesskey/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { answer, useApi } from '../api/api.js';

export type Range = auditCommands.StatsRange;
export type LogStats = auditCommands.LogStats;
export type SignInHour = auditCommands.SignInHour;
export type WebhookStats = webhooksCommands.WebhookStats;
export type FailingEndpoint = webhooksCommands.FailingEndpoint;

/** The overview is a screen left open: its figures follow the system on their own. */
const EVERY_30_S = { refetchInterval: 30_000 } as const;

export function useLogStats(range: Range) {
  const api = useApi();
  // The chart keeps the range shown until the other one arrives, rather than blinking empty.
  return useQuery({
    queryKey: ['overview', 'logs', range],
    queryFn: () => api.get<LogStats>('/logs/stats', { range }),
    placeholderData: keepPreviousData,
    ...EVERY_30_S,
  });
}

export function useSessionStats() {
  const api = useApi();
  return useQuery({
    queryKey: ['overview', 'sessions'],
    queryFn: () => api.get<tokensCommands.SessionStats>('/sessions/stats'),
    ...EVERY_30_S,
  });
}

export function useWebhookStats() {
  const api = useApi();
  return useQuery({ queryKey: ['overview', 'webhooks'], queryFn: () => api.get<WebhookStats>('/webhooks/stats'), ...EVERY_30_S });
}

export type ServiceState = 'ok' | 'unavailable' | 'store_unreachable' | 'error';
export type Readiness = Record<string, ServiceState>;

/**
 * Each service's state from `/readyz`, which is public and outside the REST namespace, on this
 * origin. Not ready is still an answer: its 503 names every service's state too.
 */
export function useReadiness() {
  return useQuery({
    queryKey: ['overview', 'readyz'],
    queryFn: async (): Promise<Readiness> => {
      const res = await fetch(new URL('/readyz', window.location.origin), { cache: 'no-store' });
      if (res.status === 503) {
        const body = (await res.json().catch(() => ({}))) as { data?: { services?: Readiness } };
        if (body.data?.services) return body.data.services;
      }
      return (await answer<{ services: Readiness }>(res)).services;
    },
    ...EVERY_30_S,
  });
}
