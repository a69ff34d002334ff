import { describe, expect, it } from 'vitest';
import { checkFieldPath, formatFieldPath, isWithin, wsKeyLabel, wsMessageRoot } from '../../src/diff/field-path.js';

describe('field paths', () => {
  it('print array indices as [*] unless asked for the concrete path', () => {
    expect(formatFieldPath('body', ['items', 3, 'id'])).toBe('body.items[*].id');
    expect(formatFieldPath('body', ['items', 3, 'id'], true)).toBe('body.items[3].id');
    expect(formatFieldPath('body', [])).toBe('body');
    expect(formatFieldPath('body', ['a b'])).toBe('body["a b"]');
  });

  it('name WebSocket messages by position or by key', () => {
    expect(wsMessageRoot()).toBe('ws.message[*]');
    expect(wsMessageRoot(wsKeyLabel('$.type'), 'reply')).toBe('ws.message[type=reply]');
    expect(wsMessageRoot(wsKeyLabel('$.meta.kind'), 'a b')).toBe('ws.message[meta.kind="a b"]');
  });

  it('accept every path the report prints', () => {
    for (const path of ['status', 'header.content-type', 'body', 'body.user.created_at', 'body.items[*].id', 'body["a b"]', 'ws.handshake', 'ws.close.code', 'ws.close.by', 'ws.message[*]', 'ws.message[type=reply].at', 'ws.message[meta.kind="a b"].x']) {
      expect(() => checkFieldPath(path), path).not.toThrow();
    }
  });

  it('refuse what the report never prints, saying why', () => {
    expect(() => checkFieldPath('user.name')).toThrow(/starts with status, header.NAME, body/);
    expect(() => checkFieldPath('body.items[3].id')).toThrow(/write \[\*\] instead of an index/);
    expect(() => checkFieldPath('body.')).toThrow(/bad field path "body."/);
  });

  it('hold the fields below a prefix, and no others', () => {
    expect(isWithin('body.user.id', 'body.user')).toBe(true);
    expect(isWithin('body.user[*]', 'body.user')).toBe(true);
    expect(isWithin('body.user', 'body.user')).toBe(true);
    expect(isWithin('body.username', 'body.user')).toBe(false);
  });
});
