import WebSocket from 'ws';
import type { Opcode, TransportError, WsCloseEvent, WsMessageEvent, WsOpenEvent } from '../model/event.js';
import type { RawHeaders } from '../model/headers.js';
import type { WsResult } from '../model/run.js';
import type { Carrier } from './carrier.js';
import { epochUs, nowMs } from '../model/clock.js';
import { Sleeper, within } from './clock.js';
import { forwardableHeaders, requestTarget, STOPPED_FAILURE, transportError, transportFailure } from './http-exchange.js';
import { Counterparts, type MessageKey } from './ws-match.js';

export interface LaneContext {
  /** ws:// or wss:// origin of the target. */
  origin: string;
  speed: number;
  timeoutMs: number;
  key: MessageKey;
  /** Rewrites what is about to be sent (identity, substitution) and counts leftovers. */
  prepare: (seq: number, carrier: Carrier) => void;
}

type LaneEvent = WsMessageEvent | WsCloseEvent;

/** Handshake headers the ws client writes itself. */
const HANDSHAKE_HEADERS = new Set([
  'connection',
  'upgrade',
  'host',
  'content-length',
  'transfer-encoding',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-extensions',
  'sec-websocket-protocol',
]);

/** What a recorded server message left for the client message after it to wait for. */
interface Anchor {
  recordedT: number;
  atMs?: number;
  server?: { key: string; occurrence: number };
}

/**
 * One WebSocket connection of a virtual user, replayed as a lane of its own: its events arrive
 * from the session's reader in order and are played here, so a client message waiting for the
 * server's `ready` does not hold up the user's other connections or HTTP calls. Each client
 * message keeps its recorded delay after the event it followed; when that was a server message,
 * the delay counts from the arrival of its replayed counterpart.
 */
export class WsLane {
  readonly result: WsResult;
  private ws: WebSocket | undefined;
  private readonly counterparts = new Counterparts();
  private readonly keyCounts = new Map<string, number>();
  private readonly queue: LaneEvent[] = [];
  private wake: (() => void) | undefined;
  private drained: { limit: number; resolve: () => void } | undefined;
  private ended = false;
  private closedByClient = false;
  /** The server ended the connection while the script still had something to send. */
  private closedEarly = false;
  private closed: Promise<void> = Promise.resolve();
  private isClosed = false;
  private lastServer: Anchor['server'];
  private readonly sleeper = new Sleeper();
  readonly done: Promise<WsResult>;

  constructor(
    private readonly open: WsOpenEvent,
    private readonly ctx: LaneContext,
  ) {
    this.result = {
      seq: open.seq,
      url: requestTarget(open.url),
      recordedStatus: open.status,
      sentAt: 0,
      received: [],
      sent: 0,
      recordedServerMessages: 0,
    };
    let opened!: (ms: number) => void;
    this.opened = new Promise((resolve) => (opened = resolve));
    this.markOpened = opened;
    this.done = this.run();
  }

  /** Monotonic ms when the handshake ended, whatever its outcome. */
  readonly opened: Promise<number>;
  private readonly markOpened: (ms: number) => void;

  get backlog(): number {
    return this.queue.length;
  }

  /** Resolves once the lane has played its queue down to `limit` events. */
  backlogBelow(limit: number): Promise<void> {
    if (this.queue.length <= limit || this.ended) return Promise.resolve();
    return new Promise((resolve) => (this.drained = { limit, resolve }));
  }

  connect(): void {
    const handshake: Carrier & { url: string; headers: RawHeaders } = {
      side: 'request',
      url: requestTarget(this.open.url),
      headers: forwardableHeaders(this.open.headers, HANDSHAKE_HEADERS),
    };
    this.ctx.prepare(this.open.seq, handshake);
    this.result.url = handshake.url;
    this.result.sentAt = epochUs();
    const t0 = nowMs();
    const offersDeflate = this.open.headers.some(([n, v]) => n.toLowerCase() === 'sec-websocket-extensions' && v.includes('permessage-deflate'));
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.ctx.origin + handshake.url, this.open.protocols, {
        headers: Object.fromEntries(joinRepeated(handshake.headers)),
        handshakeTimeout: this.ctx.timeoutMs,
        perMessageDeflate: offersDeflate,
        followRedirects: false,
      });
    } catch (error) {
      // A recorded handshake the client library refuses to send (a header with bad characters).
      this.result.error = transportError(error);
      this.fail(`ws ${transportFailure(this.result.error)}`);
      this.markOpened(nowMs());
      return;
    }
    this.ws = ws;
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.isClosed = true;
        this.onClose(code, reason.toString('utf8'));
        this.counterparts.close();
        resolve();
      });
    });
    ws.on('unexpected-response', (_req, res) => {
      this.result.status = res.statusCode ?? 0;
      this.result.handshakeMs = nowMs() - t0;
      this.fail(this.handshakeFailure(res.statusCode ?? 0));
      res.resume();
      ws.terminate();
      this.markOpened(nowMs());
    });
    ws.on('open', () => {
      this.result.status = 101;
      this.result.protocol = ws.protocol;
      this.result.handshakeMs = nowMs() - t0;
      if (this.open.status !== 101) this.fail(`ws handshake accepted, recorded ${this.open.status}`);
      this.markOpened(nowMs());
    });
    ws.on('error', (error) => {
      if (this.result.status !== undefined) return;
      this.result.error = handshakeError(error);
      this.fail(`ws ${transportFailure(this.result.error)}`);
      this.markOpened(nowMs());
    });
    ws.on('message', (view: Buffer, isBinary: boolean) => {
      const opcode: Opcode = isBinary ? 'binary' : 'text';
      // ws hands out views into the socket's read chunks; a kept view would keep the whole chunk.
      const data = Buffer.from(view);
      this.result.received.push({ opcode, data, at: epochUs() });
      this.counterparts.arrived(this.ctx.key(opcode, data), nowMs());
    });
  }

  push(event: LaneEvent): void {
    this.queue.push(event);
    this.wakeUp();
  }

  /** No more recorded events for this connection. */
  end(): void {
    this.ended = true;
    this.wakeUp();
  }

  /** Ends the connection at once (the run was aborted). */
  abort(): void {
    if (!this.ended || !this.isClosed) this.fail(STOPPED_FAILURE);
    this.ended = true;
    this.sleeper.stop();
    this.ws?.terminate();
    this.drained?.resolve();
    this.wakeUp();
  }

  private async run(): Promise<WsResult> {
    const openedMs = await this.opened;
    let anchor: Anchor = { recordedT: this.open.t, atMs: openedMs };
    let playing = this.ws?.readyState === WebSocket.OPEN;
    for (let event = await this.next(); event; event = await this.next()) {
      if (event.type === 'ws-message' && event.direction === 'server') {
        anchor = { recordedT: event.t, server: this.countServer(event) };
        continue;
      }
      if (event.type === 'ws-close' && event.by === 'server') continue; // awaited in finish()
      if (!playing) {
        if (this.result.status === 101 && !this.closedByClient && this.ws?.readyState !== WebSocket.OPEN) this.closedEarly = true;
        continue;
      }
      playing = await this.waitTurn(anchor, event.t);
      if (!playing) continue;
      if (event.type === 'ws-message') this.send(event);
      else this.closeAsRecorded(event);
      anchor = { recordedT: event.t, atMs: nowMs() };
    }
    await this.finish(playing);
    return this.result;
  }

  /** Waits for the anchor (a counterpart, if it was a server message) and then the recorded delay. */
  private async waitTurn(anchor: Anchor, recordedT: number): Promise<boolean> {
    let atMs = anchor.atMs;
    if (anchor.server) {
      atMs = await this.counterparts.wait(anchor.server.key, anchor.server.occurrence, this.ctx.timeoutMs);
      if (atMs === undefined) {
        if (this.isClosed) this.closedEarly = true;
        else {
          this.fail('ws timeout waiting for server message');
          this.ws?.terminate();
        }
        return false;
      }
    }
    const delay = Number.isFinite(this.ctx.speed) ? (recordedT - anchor.recordedT) / 1000 / this.ctx.speed : 0;
    if (!(await this.sleeper.until(atMs! + delay))) return false;
    if (this.ws?.readyState !== WebSocket.OPEN) {
      if (!this.closedByClient) this.closedEarly = true;
      return false;
    }
    return true;
  }

  private send(event: WsMessageEvent): void {
    const carrier: Carrier = { side: 'request', body: event.data.bytes };
    this.ctx.prepare(event.seq, carrier);
    this.ws!.send(carrier.body!, { binary: event.opcode === 'binary' });
    this.result.sent++;
  }

  private closeAsRecorded(event: WsCloseEvent): void {
    this.closedByClient = true;
    this.ws!.close(sendableCode(event.code), event.reason);
  }

  /** After the script: the server's remaining messages (or its close), then a clean close. */
  private async finish(playing: boolean): Promise<void> {
    if (playing && this.lastServer && !this.isClosed) {
      const at = await this.counterparts.wait(this.lastServer.key, this.lastServer.occurrence, this.ctx.timeoutMs);
      if (at === undefined && !this.isClosed) this.fail('ws fewer server messages than recorded');
    }
    if (playing && this.result.recordedClose?.by === 'server' && !this.isClosed) {
      await within(this.closed, this.ctx.timeoutMs);
    }
    if (this.ws && !this.isClosed) {
      // A server that started closing finishes its close; otherwise the client closes cleanly.
      if (!this.closedEarly && this.ws.readyState === WebSocket.OPEN) {
        this.closedByClient = true;
        this.ws.close(1000);
      }
      const timer = setTimeout(() => this.ws?.terminate(), this.ctx.timeoutMs);
      await this.closed;
      clearTimeout(timer);
    }
    if (this.closedEarly) this.fail(this.earlyCloseFailure());
    if (this.ws && this.result.status === 101 && this.result.received.length < this.result.recordedServerMessages) {
      this.fail('ws fewer server messages than recorded');
    }
  }

  private countServer(event: WsMessageEvent): Anchor['server'] {
    this.result.recordedServerMessages++;
    const key = this.ctx.key(event.opcode, event.data.bytes);
    const occurrence = this.keyCounts.get(key) ?? 0;
    this.keyCounts.set(key, occurrence + 1);
    this.lastServer = { key, occurrence };
    return this.lastServer;
  }

  private async next(): Promise<LaneEvent | undefined> {
    while (this.queue.length === 0 && !this.ended) await new Promise<void>((resolve) => (this.wake = resolve));
    const event = this.queue.shift();
    if (this.drained && (this.queue.length <= this.drained.limit || this.ended)) {
      this.drained.resolve();
      this.drained = undefined;
    }
    if (event?.type === 'ws-close') this.result.recordedClose = { code: event.code, reason: event.reason, by: event.by };
    return event;
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private onClose(code: number, reason: string): void {
    this.result.close = { code, reason, by: this.closedByClient ? 'client' : 'server', at: epochUs() };
    if (this.result.status === 101 && (code === 1006 || code === 1011)) this.fail(`ws closed abnormally (${code})`);
  }

  private earlyCloseFailure(): string {
    return `ws closed early by server (${this.result.close?.code ?? 1006})`;
  }

  private handshakeFailure(status: number): string | undefined {
    const recorded = this.open.status;
    if (recorded !== 101 && Math.floor(recorded / 100) === Math.floor(status / 100)) return undefined;
    return `ws handshake refused (${status})`;
  }

  /** The first failure is the reason; later ones are its consequences. */
  private fail(reason: string | undefined): void {
    if (reason && this.result.failure === undefined) this.result.failure = reason;
  }
}

/** ws reports its handshake timeout without a code; it is a timeout like any other. */
function handshakeError(error: Error): TransportError {
  const e = transportError(error);
  return e.code === 'EUNKNOWN' && /timed out/i.test(e.message) ? { ...e, code: 'ETIMEDOUT' } : e;
}

/** A recorded 1005/1006 (no code, abnormal) cannot be sent; a normal close stands in. */
function sendableCode(code: number): number {
  const valid = (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
  return valid ? code : 1000;
}

/** Repeated handshake headers (two Cookie lines) travel joined, as Node's client requires. */
function joinRepeated(headers: RawHeaders): [string, string][] {
  const joined = new Map<string, [string, string]>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const seen = joined.get(key);
    if (seen) seen[1] += key === 'cookie' ? `; ${value}` : `, ${value}`;
    else joined.set(key, [name, value]);
  }
  return [...joined.values()];
}
