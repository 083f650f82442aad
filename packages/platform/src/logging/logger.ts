import { trace } from '@opentelemetry/api';
import { type Logger, pino } from 'pino';

export type { Logger };

/** Field names whose values are never written, wherever they appear in a log line. */
const SECRET_KEYS = [
  'password',
  'current_password',
  'new_password',
  'token',
  'secret',
  'otp',
  'key',
  'authorization',
  'signature',
  'passwordHash',
];

/** JSON lines with the active trace id, so a log line leads to its trace. */
export function createLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`), ...SECRET_KEYS.map((k) => `*.*.${k}`)],
      censor: '[redacted]',
    },
    mixin() {
      const ctx = trace.getActiveSpan()?.spanContext();
      return ctx ? { trace_id: ctx.traceId, span_id: ctx.spanId } : {};
    },
  });
}
