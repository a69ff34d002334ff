import type { Tap, TapHttpExchange, TapHttpRequest, TapWsClose, TapWsMessage, TapWsOpen } from './tap.js';

/**
 * The proxy's view of a tap: every call is guarded, so a recorder that throws costs a lost event
 * (counted in `failures`), never a broken exchange.
 */
export class SafeTap implements Tap {
  failures = 0;

  constructor(private readonly inner: Tap) {}

  httpRequest(r: TapHttpRequest): void {
    try {
      this.inner.httpRequest(r);
    } catch {
      this.failures++;
    }
  }

  httpExchange(x: TapHttpExchange): void {
    try {
      this.inner.httpExchange(x);
    } catch {
      this.failures++;
    }
  }

  wsOpen(o: TapWsOpen): void {
    try {
      this.inner.wsOpen(o);
    } catch {
      this.failures++;
    }
  }

  wsMessage(m: TapWsMessage): void {
    try {
      this.inner.wsMessage(m);
    } catch {
      this.failures++;
    }
  }

  wsClose(c: TapWsClose): void {
    try {
      this.inner.wsClose(c);
    } catch {
      this.failures++;
    }
  }
}

/** For a proxy that forwards without recording (the benchmark's bare run, tests of forwarding alone). */
export const NULL_TAP: Tap = {
  httpRequest() {},
  httpExchange() {},
  wsOpen() {},
  wsMessage() {},
  wsClose() {},
};
