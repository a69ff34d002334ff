import { describe, expect, it } from 'vitest';
import { RouteTemplates } from '../../src/diff/routes.js';

describe('RouteTemplates', () => {
  const routes = new RouteTemplates();

  it('turns numeric, UUID and hex segments into :id, without query or host', () => {
    expect(routes.routeOf('get', '/users/42?x=1')).toBe('GET /users/:id');
    expect(routes.routeOf('GET', 'http://h:1/orders/3f2b8c9e-1a2b-4c3d-8e9f-0a1b2c3d4e5f/items')).toBe('GET /orders/:id/items');
    expect(routes.routeOf('GET', '/blobs/5f3a9c01d2')).toBe('GET /blobs/:id');
    expect(routes.routeOf('WS', '/ws/chat?token=abc')).toBe('WS /ws/chat');
    expect(routes.routeOf('GET', 'http://h:1')).toBe('GET /');
  });

  it('leaves words alone, even ones made of hex letters', () => {
    expect(routes.routeOf('GET', '/cafe/deadbeef/api')).toBe('GET /cafe/deadbeef/api');
  });

  it('tries explicit templates first, with or without a method', () => {
    const explicit = new RouteTemplates(['/orgs/:org/repos', 'POST /u/:name']);
    expect(explicit.routeOf('GET', '/orgs/acme/repos')).toBe('GET /orgs/:org/repos');
    expect(explicit.routeOf('POST', '/u/alice')).toBe('POST /u/:name');
    expect(explicit.routeOf('GET', '/u/alice')).toBe('GET /u/alice');
    expect(explicit.routeOf('GET', '/orgs//repos')).toBe('GET /orgs//repos');
  });

  it('refuses a template that is not a path', () => {
    expect(() => new RouteTemplates(['users/:id'])).toThrow(/bad --route "users\/:id"/);
  });
});
