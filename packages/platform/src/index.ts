export { Migration } from '@mikro-orm/migrations';
export { EntitySchema } from '@mikro-orm/postgresql';
export { type Backends, dropInstance, type InstanceInventory, inventoryInstance } from './admin/drop-instance.js';
export { checker, decodeJson, encodeJson, firstViolation, isValid, type Reply } from './bus/codec.js';
export { type CommandClient, createCommandClient, DEFAULT_COMMAND_TIMEOUT_MS, type SendOptions } from './bus/command-client.js';
export { type CommandHandler, type CommandMeta, type CommandServer, createCommandServer } from './bus/command-server.js';
export { connectBus } from './bus/connect.js';
export { DomainError } from './bus/domain-error.js';
export { ack, type Outcome, poison, type RunningConsumer, retry, runEventConsumer } from './bus/event-consumer.js';
export { ensureEventStream } from './bus/event-stream.js';
export type { BucketPlace } from './bus/kv.js';
export { type Liveness, processLiveness } from './bus/liveness.js';
export * from './config/common.js';
export * from './config/env.js';
export { createHookCaller, type HookCaller, type HookOutcome, hookPolicy, MAX_HOOK_REPLY_BYTES } from './hooks/hook-caller.js';
export { type AnswerStore, type Begun, type KeyClaim, openAnswerStore } from './idempotency/answer-store.js';
export { type CommandReplies, commandReplies } from './idempotency/command-replies.js';
export { derive, keyedHash, recordId, seal, unseal } from './idempotency/sealing.js';
export { type BackgroundLoop, type BackgroundLoopOptions, type StepOutcome, startBackgroundLoop } from './lifecycle/background-loop.js';
export { type RunningService, runService, type ServiceRuntime } from './lifecycle/run-service.js';
export { openWritingService, storeCommandServer, type WritingService, type WritingServiceOptions } from './lifecycle/writing-service.js';
export { createLogger, type Logger } from './logging/logger.js';
export { clientNetwork } from './net/client-network.js';
export { type Device, deviceOf } from './net/device.js';
export { readAllowPrivate } from './outbound/allow-private.js';
export {
  type ConnectTarget,
  checkTarget,
  connectTarget,
  type GuardOptions,
  guardedLookup,
  RefusedTarget,
  type Resolver,
  type Verdict,
} from './outbound/guard.js';
export { guardedFetch } from './outbound/guarded-fetch.js';
export { checkUrl, type UrlVerdict } from './outbound/url-policy.js';
export { type Cursor, decodeCursor, decodeIdCursor, encodeCursor, encodeIdCursor } from './paging/cursor.js';
export type { RateRule } from './rate-limit/gcra.js';
export { MAX_RATE_WINDOW_MS, openRateLimiter, type RateLimiter } from './rate-limit/rate-limiter.js';
export { openSettingsBucket, type SettingsBucket } from './settings/settings-bucket.js';
export { type SettingsReader, watchSettings } from './settings/settings-reader.js';
export { databaseUrl, ensureDatabase, openStore, type Store, type StoreOptions } from './store/database.js';
export { type DecideManyOptions, decideMany, isDecided, type StreamCommand } from './store/decide-many.js';
export {
  type Decided,
  type Decider,
  type Decision,
  decideInTransaction,
  fold,
  handleCommand,
  isRefusal,
  type LoadedStreams,
  type Refusal,
  readStreams,
  refuse,
} from './store/decider.js';
export { type DecidedCommand, type DeciderSpec, deciderSpec, type Given } from './store/decider-spec.js';
export { aboutUser, eraseFromEventStore, eraseFromEventStream, type StoreErasure } from './store/erasure.js';
export { metaFrom } from './store/event-meta.js';
export {
  type AlsoWrite,
  appendAtEnd,
  appendToStream,
  appendToStreams,
  ConcurrencyError,
  isUniqueViolation,
  type NewEvent,
  readStream,
  recordEvents,
  retryOnConflict,
  type StoreScope,
  type StreamAppend,
} from './store/event-store.js';
export { throughDatabaseOutages } from './store/outage.js';
export { type OutboxRelay, startOutboxRelay } from './store/outbox-relay.js';
export { type Database, openDatabase, type Sql } from './store/sql.js';
export { observe, type Recorder, recorder } from './telemetry/metrics.js';
export { currentTraceparent, extractTrace, injectTrace, inSpan, SpanKind, tracer } from './telemetry/propagation.js';
export { startTelemetry, type Telemetry } from './telemetry/sdk.js';
