import { EntitySchema } from '@mikro-orm/postgresql';

export interface StoredEventRow {
  globalPosition: string;
  id: string;
  streamId: string;
  version: number;
  type: string;
  data: Record<string, unknown>;
  meta: Record<string, unknown>;
  recordedAt: Date;
}

export const StoredEvent = new EntitySchema<StoredEventRow>({
  name: 'StoredEvent',
  tableName: 'events',
  properties: {
    globalPosition: { type: 'bigint', primary: true, autoincrement: true, fieldName: 'global_position' },
    id: { type: 'uuid', unique: true },
    streamId: { type: 'text', fieldName: 'stream_id' },
    version: { type: 'integer' },
    type: { type: 'text' },
    data: { type: 'json' },
    meta: { type: 'json' },
    recordedAt: { type: 'Date', fieldName: 'recorded_at' },
  },
});

export interface OutboxRow {
  position: string;
  eventId: string;
  subject: string;
  payload: Record<string, unknown>;
}

export const OutboxMessage = new EntitySchema<OutboxRow>({
  name: 'OutboxMessage',
  tableName: 'outbox',
  properties: {
    position: { type: 'bigint', primary: true, autoincrement: true },
    eventId: { type: 'uuid', fieldName: 'event_id' },
    subject: { type: 'text' },
    payload: { type: 'json' },
  },
});
