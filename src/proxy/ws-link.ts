import type { Duplex } from 'node:stream';
import WebSocket from 'ws';
import type { CloseSide, Direction } from '../model/event.js';
import { epochUs } from '../model/clock.js';
import type { SafeTap } from './safe-tap.js';

export interface LinkContext {
  tap: SafeTap;
  maxBody: number;
  /** A leg's bufferedAmount past which the other leg is paused. */
  highWaterMark: number;
  /** Sees the bufferedAmount each time a leg crosses the mark, so the relay can report a peak. */
  onPressure: (buffered: number) => void;
  onClosed: (link: WsLink) => void;
}

/**
 * A relayed WebSocket: the client's leg and the target's leg, both `ws`, joined at message
 * level. Messages, pings and pongs cross in both directions; a close on one leg is recorded once
 * (with the side that closed) and carried to the other with its code and reason.
 *
 * Backpressure: when a leg's bufferedAmount (bytes it has not yet written to its socket) passes
 * the high-water mark, the other leg is paused: its socket stops being read, so TCP pushes back
 * on whoever sends. While paused, every relayed message carries a write callback; the one that
 * finds the leg drained below a quarter of the mark resumes the sender. A client that never
 * reads therefore holds the proxy at about the mark, and the fast path (no pressure) pays for
 * no callbacks at all.
 */
export class WsLink {
  private closedBy: CloseSide | undefined;
  private readonly corked = { client: false, server: false };
  private legsOpen = 2;

  constructor(
    private readonly ctx: LinkContext,
    readonly wsId: string,
    private readonly client: WebSocket,
    private readonly server: WebSocket,
    private readonly sockets: { client: Duplex; server: Duplex },
  ) {
    this.join(client, server, 'client');
    this.join(server, client, 'server');
  }

  /** Bytes waiting to be written to either leg. */
  get buffered(): number {
    return this.client.bufferedAmount + this.server.bufferedAmount;
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

  /**
   * What is relayed is what is recorded: a message that meets the other leg closing (the target
   * sending on after the client left) reaches no one, and would follow the recorded close.
   */
  private relay(from: WebSocket, to: WebSocket, direction: Direction, data: Buffer, isBinary: boolean): void {
    if (to.readyState !== WebSocket.OPEN) return;
    const t = epochUs();
    const whole = data.length <= this.ctx.maxBody;
    this.ctx.tap.wsMessage({
      type: 'ws-message',
      t,
      wsId: this.wsId,
      direction,
      opcode: isBinary ? 'binary' : 'text',
      // The message itself, shared with the relay: ws never writes into a message it sends (a
      // masked copy is made), and a socket read is sized to what was read, so a view retains
      // about its own bytes. A truncated prefix is copied, lest it retain the whole message.
      data: { bytes: whole ? data : Buffer.from(data.subarray(0, this.ctx.maxBody)), size: data.length, truncated: !whole },
    });
    this.cork(direction === 'client' ? 'server' : 'client');
    if (!from.isPaused && to.bufferedAmount + data.length <= this.ctx.highWaterMark) {
      to.send(data, { binary: isBinary });
      return;
    }
    to.send(data, { binary: isBinary }, () => {
      if (from.isPaused && to.bufferedAmount <= this.ctx.highWaterMark / 4) from.resume();
    });
    from.pause();
    this.ctx.onPressure(to.bufferedAmount);
  }

  /**
   * Messages parsed from one socket read are relayed in one tick; corking the receiving leg's
   * socket until the tick ends sends them in one write instead of one per message.
   */
  private cork(leg: 'client' | 'server'): void {
    if (this.corked[leg]) return;
    const socket = this.sockets[leg];
    this.corked[leg] = true;
    socket.cork();
    process.nextTick(() => {
      this.corked[leg] = false;
      socket.uncork();
    });
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
    this.ctx.tap.wsClose({ type: 'ws-close', t: epochUs(), wsId: this.wsId, code, reason, by });
  }
}
