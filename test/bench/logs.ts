import type { RunningSystem } from '@headlesskey/local';

export interface LogNote {
  service: string;
  /** `warn`, `error`, `fatal` or `stderr`. */
  level: string;
  message: string;
  count: number;
}

const LEVELS: Record<number, string> = { 40: 'warn', 50: 'error', 60: 'fatal' };

/**
 * Counts what the services log at `warn` and above from now on (LOG_LEVEL=warn shows nothing
 * else). A service failing in a loop while it is measured spends CPU the others need, so the
 * report names it.
 */
export function watchServiceLogs(system: RunningSystem): () => LogNote[] {
  const notes = new Map<string, LogNote>();
  const note = (service: string, level: string, message: string) => {
    const key = `${service}\u0000${level}\u0000${message}`;
    const found = notes.get(key);
    if (found) found.count++;
    else notes.set(key, { service, level, message: message.slice(0, 300), count: 1 });
  };
  for (const p of system.processes) {
    lines(p.child.stdout, (line) => {
      const entry = parse(line);
      if (entry && entry.level >= 40) note(p.service, LEVELS[entry.level] ?? String(entry.level), entry.message);
    });
    lines(p.child.stderr, (line) => note(p.service, 'stderr', line));
  }
  return () => [...notes.values()].sort((a, b) => b.count - a.count);
}

function lines(stream: NodeJS.ReadableStream | null, each: (line: string) => void): void {
  let partial = '';
  stream?.on('data', (chunk: Buffer | string) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) if (line.trim() !== '') each(line);
  });
}

/** A pino line: its level and message, with the error's message when there is one. */
function parse(line: string): { level: number; message: string } | undefined {
  try {
    const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
    if (typeof entry.level !== 'number') return undefined;
    return { level: entry.level, message: [entry.msg, entry.err?.message].filter(Boolean).join(': ') };
  } catch {
    return undefined;
  }
}
