import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Event } from '../model/event.js';
import { approximateSize } from '../model/event-size.js';
import type { RecordingMeta } from '../model/recording.js';
import type { Run, SessionResult, TargetRole } from '../model/run.js';
import type { Session } from '../model/session.js';
import { RecordingNotFoundError, StoreError } from '../model/errors.js';
import type { KeyValueBackend } from './backend.js';
import { BatchedWriter, type WriterOptions } from './batched-writer.js';
import { decode, encode } from './codec.js';
import { EventChunks, inSeqOrder } from './event-chunks.js';
import { TimeSlices } from './time-slices.js';
import type { ChunkItem } from './chunk-tables.js';
import { checkFormat, FORMAT_VERSION } from './format.js';
import * as K from './keys.js';
import { LevelBackend } from './level-backend.js';

/**
 * One recording: a directory holding the LevelDB database (`db/`) and, while a recorder writes
 * it, `status.json` (see recording-status.ts). Everything is read as streams in key order, so
 * a recording is never loaded whole.
 */
export class RecordingStore {
  private constructor(
    readonly name: string,
    readonly dir: string,
    private readonly backend: KeyValueBackend,
    private currentMeta: RecordingMeta,
  ) {}

  static dbDir(dir: string): string {
    return join(dir, 'db');
  }

  /** Creates a new recording; refuses to write into one that exists. */
  static async create(
    root: string,
    meta: Omit<RecordingMeta, 'version'>,
    backend?: KeyValueBackend,
  ): Promise<RecordingStore> {
    const dir = join(root, meta.name);
    if (await exists(dir)) {
      throw new StoreError('REPRISE_RECORDING_EXISTS', `recording "${meta.name}" already exists in ${root}`);
    }
    await mkdir(dir, { recursive: true });
    const kv = backend ?? (await openLevel(RecordingStore.dbDir(dir), true, meta.name));
    const full: RecordingMeta = { version: FORMAT_VERSION, ...meta };
    await kv.batch([{ type: 'put', key: K.META, value: encode(full) }]);
    return new RecordingStore(meta.name, dir, kv, full);
  }

  static async open(root: string, name: string): Promise<RecordingStore> {
    const dir = join(root, name);
    if (!(await exists(RecordingStore.dbDir(dir)))) throw new RecordingNotFoundError(name, root);
    const kv = await openLevel(RecordingStore.dbDir(dir), false, name);
    const raw = await kv.get(K.META).catch((cause: unknown) => {
      throw corrupt(dir, cause);
    });
    if (!raw) {
      await kv.close();
      throw new StoreError('REPRISE_STORE_CORRUPT', `store ${dir} is corrupt: no metadata`);
    }
    let meta: RecordingMeta;
    try {
      meta = decode<RecordingMeta>(raw);
      checkFormat(meta, dir);
    } catch (error) {
      await kv.close();
      throw error instanceof StoreError ? error : corrupt(dir, error);
    }
    return new RecordingStore(name, dir, kv, meta);
  }

  get meta(): RecordingMeta {
    return this.currentMeta;
  }

  async updateMeta(patch: Partial<RecordingMeta>): Promise<void> {
    this.currentMeta = { ...this.currentMeta, ...patch };
    await this.backend.batch([{ type: 'put', key: K.META, value: encode(this.currentMeta) }]);
  }

  /** A writer for the recorder: batched, bounded, never blocking the caller. */
  writer(options?: WriterOptions): RecordingWriter {
    return new RecordingWriter(new BatchedWriter(this.backend, options));
  }

  async session(id: string): Promise<Session | undefined> {
    const raw = await this.backend.get(K.sessionKey(id));
    return raw ? decode<Session>(raw) : undefined;
  }

  /** Sessions in start order, through the start-time index. */
  async *sessions(): AsyncGenerator<Session> {
    for await (const key of this.backend.keys(K.prefixRange(K.START_INDEX_PREFIX))) {
      const session = await this.session(K.sessionIdFromStartIndex(key));
      if (session) yield session;
    }
  }

  async *events(sessionId: string): AsyncGenerator<Event> {
    yield* inSeqOrder(this.decoded<Event | ChunkItem[]>(K.prefixRange(K.eventPrefix(sessionId))));
  }

  private async *decoded<T>(range: { gte: string; lt: string }): AsyncGenerator<T> {
    for await (const [, value] of this.backend.entries(range)) yield decode<T>(value);
  }

  async putRun(run: Run): Promise<void> {
    await this.backend.batch([{ type: 'put', key: K.runKey(run.id), value: encode(run) }]);
  }

  async run(id: string): Promise<Run | undefined> {
    const raw = await this.backend.get(K.runKey(id));
    return raw ? decode<Run>(raw) : undefined;
  }

  async *runs(): AsyncGenerator<Run> {
    for await (const [key, value] of this.backend.entries(K.prefixRange(K.RUN_PREFIX))) {
      if (key.endsWith('!meta')) yield decode<Run>(value);
    }
  }

  /** Results are written through a batched writer too: a replay must not wait on its own logging. */
  resultWriter(runId: string, options?: WriterOptions): ResultWriter {
    return new ResultWriter(runId, new BatchedWriter(this.backend, options));
  }

  async *results(runId: string, role?: TargetRole): AsyncGenerator<SessionResult> {
    for await (const [, value] of this.backend.entries(K.prefixRange(K.resultPrefix(runId, role)))) {
      yield decode<SessionResult>(value);
    }
  }

  close(): Promise<void> {
    return this.backend.close();
  }
}

/** The recorder's side of the store: sessions (rewritten as they grow), their index, their events. */
export class RecordingWriter {
  private readonly indexed = new Set<string>();
  private readonly events: EventChunks;

  /** The recording's background work on the main thread, the recorder's stitching included. */
  constructor(
    readonly batched: BatchedWriter,
    readonly slices = new TimeSlices(),
  ) {
    this.events = new EventChunks(batched, slices);
  }

  putSession(session: Session): boolean {
    if (!this.indexed.has(session.id)) {
      this.indexed.add(session.id);
      this.batched.put(K.startIndexKey(session.startedAt, session.id), '');
    }
    return this.batched.put(K.sessionKey(session.id), session);
  }

  /** Held with the session's other events of up to 100 ms, written as one value; `size` counts against the budget. */
  putEvent(sessionId: string, event: Event, size = approximateSize(event)): boolean {
    return this.events.put(sessionId, event, size);
  }

  flush(): Promise<void> {
    this.events.sealAll();
    return this.batched.flush();
  }
}

export class ResultWriter {
  constructor(
    private readonly runId: string,
    readonly batched: BatchedWriter,
  ) {}

  put(result: SessionResult): boolean {
    return this.batched.put(K.resultKey(this.runId, result.role, result.copy), result);
  }

  flush(): Promise<void> {
    return this.batched.flush();
  }
}

async function openLevel(dir: string, create: boolean, name: string): Promise<LevelBackend> {
  try {
    return await LevelBackend.open(dir, { createIfMissing: create });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') {
      throw new StoreError('REPRISE_RECORDING_ACTIVE', `recording "${name}" is in use by another process (still being recorded?)`);
    }
    throw corrupt(dir, error);
  }
}

function corrupt(dir: string, cause: unknown): StoreError {
  const detail = (cause as Error)?.message ?? String(cause);
  return new StoreError('REPRISE_STORE_CORRUPT', `store ${dir} cannot be read: ${detail}`, { cause });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
