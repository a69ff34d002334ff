import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Carrier } from '../../src/replay/carrier.js';
import { identityFor, loadUsers, parseVary } from '../../src/replay/vary.js';
import { tempRoot } from './fixtures.js';

const login = (): Carrier => ({ side: 'request', url: '/api/auth/login', headers: [['x-tenant', 't1']], body: Buffer.from('{"username":"alice","password":"secret"}') });
const body = (c: Carrier): unknown => JSON.parse(Buffer.from(c.body!).toString());

describe('--vary', () => {
  it('rewrites a value per copy with {{value}}, {{copy}} and {{session}}', () => {
    const rules = [parseVary('json:$.username={{value}}-{{copy}}'), parseVary('header:x-tenant={{session}}/{{value}}')];
    const c = login();
    identityFor(3, 's9', rules)!(c);
    expect(body(c)).toEqual({ username: 'alice-3', password: 'secret' });
    expect(c.headers).toEqual([['x-tenant', 's9/t1']]);
  });

  it('leaves requests without the field alone, and is nothing at all without rules', () => {
    const me: Carrier = { side: 'request', url: '/api/me', headers: [], body: Buffer.alloc(0) };
    identityFor(1, 's', [parseVary('json:$.username={{value}}-{{copy}}')])!(me);
    expect(me.body!.byteLength).toBe(0);
    expect(identityFor(1, 's', [])).toBeUndefined();
  });

  it.each(['json:$.username', 'nowhere=x', 'json:username=x', 'json:$.a={{nope}}'])('refuses "%s"', (spec) => {
    expect(() => parseVary(spec)).toThrow(expect.objectContaining({ code: 'REPRISE_USAGE' }));
  });
});

describe('--users', () => {
  let dir: { root: string; remove: () => Promise<void> };
  beforeEach(async () => {
    dir = await tempRoot();
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('rotates rows across copies; plain column names are JSON fields, others are locations', async () => {
    const file = join(dir.root, 'users.csv');
    await writeFile(file, 'username,password,header:x-tenant\nu1,p1,t-a\n"u,2","p""2",t-b\n');
    const users = await loadUsers(file);
    const apply = (copy: number): Carrier => {
      const c = login();
      identityFor(copy, 's', [], users)!(c);
      return c;
    };
    expect(body(apply(0))).toEqual({ username: 'u1', password: 'p1' });
    expect(body(apply(1))).toEqual({ username: 'u,2', password: 'p"2' });
    expect(body(apply(2))).toEqual({ username: 'u1', password: 'p1' });
    expect(apply(1).headers).toEqual([['x-tenant', 't-b']]);
  });

  it('refuses a missing file, a header without rows and ragged rows', async () => {
    await expect(loadUsers(join(dir.root, 'none.csv'))).rejects.toMatchObject({ code: 'REPRISE_USAGE' });
    await writeFile(join(dir.root, 'empty.csv'), 'username,password\n');
    await expect(loadUsers(join(dir.root, 'empty.csv'))).rejects.toMatchObject({ code: 'REPRISE_USAGE' });
    await writeFile(join(dir.root, 'ragged.csv'), 'username,password\nu1\n');
    await expect(loadUsers(join(dir.root, 'ragged.csv'))).rejects.toThrow(/row 2/);
  });
});
