import { describe, expect, it } from 'vitest';
import { diffWebSockets, parseWsKey, type WsKey } from '../../src/diff/ws-align.js';
import type { WsModel } from '../../src/diff/ws-model.js';
import { brief, collect } from './collect.js';

function ws(messages: unknown[], close?: WsModel['close'], handshake: number | string = 101): WsModel {
  return {
    handshake,
    messages: messages.map((m) => ({ bytes: Buffer.from(typeof m === 'string' ? m : JSON.stringify(m)), binary: false })),
    ...(close ? { close } : {}),
  };
}

const diff = (a: WsModel, b: WsModel, key?: WsKey) => collect((emit) => diffWebSockets(a, b, key, emit));
const closed = { code: 1000, by: 'client' as const };

describe('diffWebSockets', () => {
  it('finds nothing in equal connections', () => {
    expect(diff(ws([{ type: 'ready' }, 'hi'], closed), ws([{ type: 'ready' }, 'hi'], closed))).toEqual([]);
  });

  it('aligns messages in order: a changed one, a missing one, an extra one', () => {
    const a = ws([{ type: 'ready' }, { type: 'reply', text: 'hi' }, { type: 'reply', text: 'bye' }], closed);
    expect(brief(diff(a, ws([{ type: 'ready' }, { type: 'reply', text: 'HI' }], closed)))).toEqual([
      'ws.message[*].text value medium',
      'ws.message[*] ws-missing-message high',
    ]);
    expect(brief(diff(ws(['a'], closed), ws(['a', 'b'], closed)))).toEqual(['ws.message[*] ws-extra-message low']);
  });

  it('pairs by --ws-key when the servers interleave differently', () => {
    const key = parseWsKey('$.type');
    const a = ws([{ type: 'queued', position: 1 }, { type: 'ready' }, { type: 'reply', text: 'hi' }], closed);
    const b = ws([{ type: 'ready' }, { type: 'reply', text: 'hi' }], closed);
    expect(brief(diff(a, b, key))).toEqual(['ws.message[type=queued] ws-missing-message high']);
    expect(brief(diff(a, b))).not.toEqual(['ws.message[type=queued] ws-missing-message high']);
    const c = ws([{ type: 'queued', position: 1 }, { type: 'ready' }, { type: 'reply', text: 'yo' }], closed);
    expect(brief(diff(a, c, key))).toEqual(['ws.message[type=reply].text value medium']);
  });

  it('reports a refused handshake alone, high', () => {
    expect(brief(diff(ws([{ type: 'ready' }], closed), ws([], undefined, 403)))).toEqual(['ws.handshake ws-handshake high']);
  });

  it('rates a different close code medium, an abnormal close high, and tells who closed', () => {
    expect(brief(diff(ws([], closed), ws([], { code: 1001, by: 'client' })))).toEqual(['ws.close.code ws-close medium']);
    expect(brief(diff(ws([], closed), ws([], { code: 1006, by: 'server' })))).toEqual(['ws.close.code ws-close high', 'ws.close.by ws-close medium']);
    expect(brief(diff(ws([], closed), ws([])))).toEqual(['ws.close.code ws-close high', 'ws.close.by ws-close medium']);
  });

  it('refuses a --ws-key that is not a JSON path', () => {
    expect(() => parseWsKey('type')).toThrow(/bad --ws-key "type"/);
  });
});
