import type { Tap, TapHttpExchange, TapHttpRequest, TapWsClose, TapWsMessage, TapWsOpen } from './tap.js';

/**
 * The proxy's view of a tap: every call is guarded, so a recorder that throws costs a lost event
 * (counted in `failures`), never a broken exchange.
 */
export class SafeTap implements Tap {
  failures = 0;

  constructor(private readonly inner: Tap) {}

  httpRequest(r: TapHttpRequest): void {
    this.call('httpRequest', r);
  }

  httpExchange(x: TapHttpExchange): void {
    this.call('httpExchange', x);
  }

  wsOpen(o: TapWsOpen): void {
    this.call('wsOpen', o);
  }

  wsMessage(m: TapWsMessage): void {
    this.call('wsMessage', m);
  }

  wsClose(c: TapWsClose): void {
    this.call('wsClose', c);
  }

  /** One guard for every hook; no closure per call, since this runs for every event. */
  private call<K extends keyof Tap>(hook: K, arg: Parameters<Tap[K]>[0]): void {
    try {
      (this.inner[hook] as (a: typeof arg) => void).call(this.inner, arg);
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
