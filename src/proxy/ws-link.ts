import WebSocket from 'ws';
import type { CloseSide, Direction } from '../model/event.js';
import { nowMicros } from './clock.js';
import type { SafeTap } from './safe-tap.js';

export interface LinkContext {
  tap: SafeTap;
  maxBody: number;
  /** Bytes sent to one leg and not yet written to its socket past which the other leg is paused. */
  highWaterMark: number;
  /** Sees every change of the bytes held for either leg, so the relay can report a peak. */
  onBuffered: (delta: number) => void;
  onClosed: (link: WsLink) => void;
}

/**
 * A relayed WebSocket: the client's leg and the target's leg, both `ws`, joined at message
 * level. Messages, pings and pongs cross in both directions; a close on one leg is recorded once
 * (with the side that closed) and carried to the other with its code and reason.
 *
 * Backpressure: each direction counts the bytes handed to the receiving leg and not yet written
 * to its socket. Past the high-water mark the sending leg is paused (its socket stops being
 * read, so TCP pushes back on the sender); it resumes when the receiver has drained below a
 * quarter of the mark. A client that never reads therefore holds the proxy at about the mark.
 */
export class WsLink {
  private readonly held = { client: 0, server: 0 };
  private closedBy: CloseSide | undefined;
  private legsOpen = 2;

  constructor(
    private readonly ctx: LinkContext,
    readonly wsId: string,
    private readonly client: WebSocket,
    private readonly server: WebSocket,
  ) {
    this.join(client, server, 'client');
    this.join(server, client, 'server');
  }

  /** Bytes waiting to be written to either leg. */
  get buffered(): number {
    return this.held.client + this.held.server;
  }

  /** The proxy is stopping: both legs get 1001 and the close is recorded as the proxy's. */
  shutdown(): void {
    this.recordClose('proxy', 1001, 'proxy shutting down');
    for (const leg of [this.client, this.server]) {
      leg.resume();
      if (leg.readyState === WebSocket.OPEN) leg.close(1001, 'proxy shutting down');
    }
  }

  /** Ends both legs at once, without a closing handshake (a stop that ran out of time). */
  terminate(): void {
    this.client.terminate();
    this.server.terminate();
  }

  /** `from` is the leg a message arrives on; `direction` names who sent it. */
  private join(from: WebSocket, to: WebSocket, direction: Direction): void {
    from.on('message', (data: Buffer, isBinary: boolean) => this.relay(from, to, direction, data, isBinary));
    from.on('ping', (data: Buffer) => {
      if (to.readyState === WebSocket.OPEN) to.ping(data);
    });
    from.on('pong', (data: Buffer) => {
      if (to.readyState === WebSocket.OPEN) to.pong(data);
    });
    // Errors end in a close event (code 1006), which is where the link reacts; the listener
    // only keeps an error from becoming an uncaught exception.
    from.on('error', () => {});
    from.on('close', (code: number, reason: Buffer) => this.onLegClose(direction, to, code, reason));
  }

  private relay(from: WebSocket, to: WebSocket, direction: Direction, data: Buffer, isBinary: boolean): void {
    const t = nowMicros();
    const kept = data.length <= this.ctx.maxBody ? data : data.subarray(0, this.ctx.maxBody);
    this.ctx.tap.wsMessage({
      type: 'ws-message',
      t,
      wsId: this.wsId,
      direction,
      opcode: isBinary ? 'binary' : 'text',
      // A copy: the message may be a view into the socket's larger read buffer.
      data: { bytes: new Uint8Array(kept), size: data.length, truncated: kept.length < data.length },
    });
    if (to.readyState !== WebSocket.OPEN) return; // its close is on the way to `from` already
    const side = direction === 'client' ? 'server' : 'client';
    this.hold(side, data.length);
    to.send(data, { binary: isBinary }, () => {
      this.hold(side, -data.length);
      if (from.isPaused && this.held[side] <= this.ctx.highWaterMark / 4) from.resume();
    });
    if (this.held[side] > this.ctx.highWaterMark) from.pause();
  }

  private hold(side: 'client' | 'server', delta: number): void {
    this.held[side] += delta;
    this.ctx.onBuffered(delta);
  }

  private onLegClose(side: CloseSide, other: WebSocket, code: number, reason: Buffer): void {
    this.recordClose(side, code, reason.toString());
    // A paused leg could not read its peer's closing frame.
    other.resume();
    if (other.readyState === WebSocket.OPEN) {
      if (code === 1005) other.close();
      else if (code === 1006) other.terminate(); // the peer vanished: so does the other's connection
      else other.close(code, reason);
    } else if (other.readyState === WebSocket.CONNECTING) {
      other.terminate();
    }
    if (--this.legsOpen === 0) this.ctx.onClosed(this);
  }

  private recordClose(by: CloseSide, code: number, reason: string): void {
    if (this.closedBy) return;
    this.closedBy = by;
    this.ctx.tap.wsClose({ type: 'ws-close', t: nowMicros(), wsId: this.wsId, code, reason, by });
  }
}
