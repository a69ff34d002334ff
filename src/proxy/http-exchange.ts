import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { fromRawList, type HttpResponse, type RawHeaders, type TransportError } from '../model/index.js';
import { BodyCapture } from './body-capture.js';
import { epochUs } from '../model/clock.js';
import { clientResponseHeaders, targetRequestHeaders } from './forward-headers.js';
import type { SafeTap } from './safe-tap.js';
import type { TapHttpExchange } from './tap.js';
import { failureBody, gatewayFailure } from './upstream-error.js';

/** What every exchange shares: where to send, what to tell, how much to keep. */
export interface ExchangeContext {
  upstream: Dispatcher;
  targetOrigin: string;
  tap: SafeTap;
  maxBody: number;
  timeoutMs: number;
  /** Counters the proxy reports; the exchange updates them as it ends. */
  counters: { inFlight: number; proxied: number; upstreamErrors: number };
  /** Seconds the proxy itself added: before the request reached the target, after the response left it. */
  observeAddedLatency?: (seconds: number) => void;
  /** Called when an exchange ends, so a stopping proxy knows when in-flight work is done. */
  onSettled: () => void;
  /** Client connections with a response in progress (a parse error there must not write a 400 into it). */
  busy: Set<unknown>;
}

export interface ExchangeIds {
  exchangeId: string;
  connectionId: string;
  clientAddress: string;
}

const CLIENT_ABORTED: TransportError = { code: 'CLIENT_ABORTED', message: 'the client closed the connection before the response ended' };

/**
 * One HTTP exchange, forwarded through undici's dispatch handler interface: the request body
 * streams to the target, the response streams back with backpressure (a slow client pauses the
 * target's socket), and both bodies are captured up to maxBody on the way past. Every path ends
 * in `settle`, which reports the exchange to the tap exactly once.
 *
 * The handler uses undici's onHeaders/onData form because it hands over the raw header list
 * (order, case and repeats as sent), which the newer form folds into an object.
 */
export class HttpExchange implements Dispatcher.DispatchHandler {
  private readonly start = epochUs();
  private readonly headers: RawHeaders;
  private readonly requestBody: BodyCapture;
  private readonly responseBody: BodyCapture;
  private response: Omit<HttpResponse, 'body'> | undefined;
  private firstByte: number | undefined;
  private sentAt: number | undefined;
  private abortUpstream: ((error?: Error) => void) | undefined;
  private resumeUpstream: (() => void) | undefined;
  private clientGone = false;
  private settled = false;

  constructor(
    private readonly ctx: ExchangeContext,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly ids: ExchangeIds,
  ) {
    this.headers = fromRawList(req.rawHeaders);
    this.requestBody = new BodyCapture(ctx.maxBody);
    this.responseBody = new BodyCapture(ctx.maxBody);
  }

  forward(path: string): void {
    const { req, res, ctx } = this;
    ctx.counters.inFlight++;
    const { exchangeId, connectionId, clientAddress } = this.ids;
    ctx.tap.httpRequest({ exchangeId, connectionId, clientAddress, t: this.start, method: req.method!, url: req.url!, headers: this.headers });
    const body = hasBody(req) ? req : null;
    if (body) {
      // Paused first, so our listener does not start the flow before undici is ready to write.
      req.pause();
      req.on('data', (chunk: Buffer) => this.requestBody.add(chunk));
    }
    res.sendDate = false; // the target's Date, not ours
    const socket = req.socket;
    ctx.busy.add(socket);
    res.once('close', () => {
      ctx.busy.delete(socket);
      this.onClientClose();
    });
    ctx.upstream.dispatch(
      {
        origin: ctx.targetOrigin,
        path,
        method: req.method!,
        headers: targetRequestHeaders(req.rawHeaders, { address: this.ids.clientAddress }),
        body,
        headersTimeout: ctx.timeoutMs,
        bodyTimeout: ctx.timeoutMs,
      },
      this,
    );
  }

  onConnect(abort: (error?: Error) => void): void {
    this.abortUpstream = abort;
    this.sentAt = epochUs();
    if (this.clientGone) abort();
  }

  onHeaders(status: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    if (status < 200) return true; // 1xx informational: the client's own 100-continue was answered by our server
    this.firstByte = epochUs();
    const { recorded, forward } = clientResponseHeaders(rawHeaders);
    this.response = { status, statusMessage: statusText, headers: recorded };
    if (this.clientGone) return true;
    this.res.writeHead(status, statusText, forward);
    this.resumeUpstream = resume;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.responseBody.add(chunk);
    if (this.clientGone) return true;
    if (this.res.write(chunk)) return true;
    // A slow client: undici stops reading the target's socket until ours drains.
    this.res.once('drain', this.resumeUpstream!);
    return false;
  }

  onComplete(trailers: string[] | null): void {
    const upstreamEnd = epochUs();
    // undici hands trailers over as raw bytes despite the declared type.
    if (trailers && trailers.length > 0) this.res.addTrailers(fromRawList(trailers.map(String)));
    this.res.end();
    this.observe(upstreamEnd);
    this.ctx.counters.proxied++;
    this.settle(undefined, upstreamEnd);
  }

  onError(error: Error): void {
    // A client that went away surfaces here too, as undici's error on the request body stream.
    if (this.clientGone || this.req.socket?.destroyed !== false) {
      this.settle(CLIENT_ABORTED);
      return;
    }
    this.ctx.counters.upstreamErrors++;
    const failure = gatewayFailure(error);
    if (this.res.headersSent) {
      // Part of the target's response is out already: a clean error status is no longer possible.
      this.res.destroy();
      this.settle(failure.error);
      return;
    }
    const text = failureBody(failure, this.ctx.targetOrigin);
    const headers: RawHeaders = [
      ['content-type', 'application/json'],
      ['content-length', String(Buffer.byteLength(text))],
    ];
    this.response = { status: failure.status, statusMessage: '', headers };
    this.responseBody.add(Buffer.from(text));
    this.res.writeHead(failure.status, headers.flat());
    this.res.end(text);
    this.settle(failure.error);
  }

  private onClientClose(): void {
    if (this.res.writableFinished) return;
    this.clientGone = true;
    this.abortUpstream?.();
  }

  /** The response has been handed to the client's socket: what the kernel does next is not ours. */
  private observe(upstreamEnd: number): void {
    if (this.sentAt === undefined || !this.ctx.observeAddedLatency) return;
    const added = this.sentAt - this.start + (epochUs() - upstreamEnd);
    this.ctx.observeAddedLatency(added / 1e6);
  }

  private settle(error?: TransportError, end = epochUs()): void {
    if (this.settled) return;
    this.settled = true;
    this.ctx.counters.inFlight--;
    const { req, ids, response } = this;
    const timing: TapHttpExchange['timing'] = { start: this.start, end };
    if (this.firstByte !== undefined) timing.firstByte = this.firstByte;
    const event: TapHttpExchange = {
      type: 'http',
      t: this.start,
      exchangeId: ids.exchangeId,
      connectionId: ids.connectionId,
      clientAddress: ids.clientAddress,
      request: { method: req.method!, url: req.url!, httpVersion: req.httpVersion, headers: this.headers, body: this.requestBody.body() },
      timing,
    };
    if (response) {
      event.response = { status: response.status, statusMessage: response.statusMessage, headers: response.headers, body: this.responseBody.body() };
    }
    if (error) event.error = error;
    this.ctx.tap.httpExchange(event);
    this.ctx.onSettled();
  }
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
