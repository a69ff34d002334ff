import { describe, expect, it } from 'vitest';
import { parseJsonPath } from '../../src/model/json-path.js';
import { Counterparts, messageKey } from '../../src/replay/ws-match.js';

const j = (v: unknown): Uint8Array => Buffer.from(JSON.stringify(v));

describe('messageKey', () => {
  it('keys by shape without --ws-key, by the field with it', () => {
    const shape = messageKey();
    expect(shape('text', j({ type: 'ready', user: 'a' }))).toBe(shape('text', j({ user: 'b', type: 'ready' })));
    expect(shape('text', j({ type: 'ready', user: 'a' }))).not.toBe(shape('text', j({ type: 'queued', position: 1 })));
    expect(shape('text', Buffer.from('plain'))).toBe('text');
    expect(shape('binary', j({ a: 1 }))).toBe('binary');
    const byType = messageKey(parseJsonPath('$.type'));
    expect(byType('text', j({ type: 'ready' }))).not.toBe(byType('text', j({ type: 'queued' })));
    expect(byType('text', j({ other: 1 }))).toBe(shape('text', j({ other: 1 })));
  });
});

describe('Counterparts', () => {
  it('resolves the n-th arrival of a key, already there or still to come', async () => {
    const c = new Counterparts();
    c.arrived('a', 1);
    expect(await c.wait('a', 0, 1000)).toBe(1);
    const second = c.wait('a', 1, 1000);
    c.arrived('b', 2);
    c.arrived('a', 3);
    expect(await second).toBe(3);
  });

  it('gives up on timeout and at once after the connection closed', async () => {
    const c = new Counterparts();
    expect(await c.wait('a', 0, 10)).toBeUndefined();
    const pending = c.wait('a', 0, 60_000);
    c.close();
    expect(await pending).toBeUndefined();
    expect(await c.wait('a', 0, 60_000)).toBeUndefined();
  });
});
