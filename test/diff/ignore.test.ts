import { describe, expect, it } from 'vitest';
import { IgnoreRules, parseIgnore } from '../../src/diff/ignore.js';

describe('--ignore', () => {
  it('parses a global path and a path for one route', () => {
    expect(parseIgnore('body.user.created_at')).toEqual({ path: 'body.user.created_at' });
    expect(parseIgnore('GET /api/me@body.user')).toEqual({ route: 'GET /api/me', path: 'body.user' });
    expect(parseIgnore('get  /api/me@status')).toEqual({ route: 'GET /api/me', path: 'status' });
    expect(parseIgnore('WS /ws/chat@ws.message[type=reply].at')).toEqual({ route: 'WS /ws/chat', path: 'ws.message[type=reply].at' });
  });

  it('drops the field and what lies below it, globally or on its route only', () => {
    const rules = new IgnoreRules(['body.token', 'GET /api/me@body.user', '/api/items@header.cache-control']);
    expect(rules.ignores('POST /api/auth/login', 'body.token')).toBe(true);
    expect(rules.ignores('GET /api/me', 'body.user.created_at')).toBe(true);
    expect(rules.ignores('POST /api/me', 'body.user.created_at')).toBe(false);
    expect(rules.ignores('GET /api/items', 'header.cache-control')).toBe(true);
    expect(rules.ignores('PUT /api/items', 'header.cache-control')).toBe(true);
    expect(rules.ignores('GET /api/me', 'body.tokens')).toBe(false);
  });

  it('refuses a path the report would never print', () => {
    expect(() => parseIgnore('GET /api/me@user.name')).toThrow(/bad --ignore "GET \/api\/me@user.name"/);
    expect(() => parseIgnore('body.items[0]')).toThrow(/\[\*\]/);
  });
});
