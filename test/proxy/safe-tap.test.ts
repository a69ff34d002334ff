import { describe, expect, it } from 'vitest';
import { SafeTap } from '../../src/proxy/safe-tap.js';
import type { Tap } from '../../src/proxy/tap.js';

const HOOKS = ['httpRequest', 'httpExchange', 'wsOpen', 'wsMessage', 'wsClose'] as const;

describe('SafeTap', () => {
  it('passes every hook to the tap, bound to it', () => {
    const seen: [string, unknown][] = [];
    class Recording implements Tap {
      readonly log = seen;
      httpRequest(a: unknown) { this.log.push(['httpRequest', a]); }
      httpExchange(a: unknown) { this.log.push(['httpExchange', a]); }
      wsOpen(a: unknown) { this.log.push(['wsOpen', a]); }
      wsMessage(a: unknown) { this.log.push(['wsMessage', a]); }
      wsClose(a: unknown) { this.log.push(['wsClose', a]); }
    }
    const safe = new SafeTap(new Recording());
    HOOKS.forEach((hook, i) => (safe[hook] as (a: unknown) => void)({ i }));
    expect(seen).toEqual(HOOKS.map((hook, i) => [hook, { i }]));
    expect(safe.failures).toBe(0);
  });

  it('counts a throwing hook as a failure instead of throwing into forwarding', () => {
    const boom = (): never => {
      throw new Error('recorder bug');
    };
    const safe = new SafeTap({ httpRequest: boom, httpExchange: boom, wsOpen: boom, wsMessage: boom, wsClose: boom });
    for (const hook of HOOKS) expect(() => (safe[hook] as (a: unknown) => void)({})).not.toThrow();
    expect(safe.failures).toBe(HOOKS.length);
  });
});
