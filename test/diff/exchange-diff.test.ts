import { describe, expect, it } from 'vitest';
import { diffResponses } from '../../src/diff/exchange-diff.js';
import type { ResponseModel } from '../../src/diff/response-model.js';
import { brief, collect } from './collect.js';

function response(status: number | string, body: string, headers: Record<string, string> = {}): ResponseModel {
  return { status, headers: new Map(Object.entries(headers)), bytes: Buffer.from(body), truncated: false };
}

const diff = (a: ResponseModel, b: ResponseModel) => collect((emit) => diffResponses(a, b, emit));

describe('diffResponses', () => {
  it('reports a 404 against a 200 as a status difference at the top, and nothing of the bodies', () => {
    const diffs = diff(response(200, '{"user":{"id":1}}', { 'content-type': 'application/json' }), response(404, 'Not Found', { 'content-type': 'text/plain' }));
    expect(brief(diffs)).toEqual(['status status high']);
    expect(diffs[0]).toMatchObject({ primary: 200, candidate: 404 });
  });

  it('rates a status within its class medium, and an error instead of a response high', () => {
    expect(brief(diff(response(200, ''), response(201, '')))).toEqual(['status status medium']);
    expect(brief(diff(response(200, ''), response('error ECONNRESET', '')))).toEqual(['status status high']);
  });

  it('compares the chosen headers: changed, missing, added', () => {
    const diffs = diff(response(200, '', { 'content-type': 'application/json', location: '/a' }), response(200, '', { 'content-type': 'text/html', 'cache-control': 'no-store' }));
    expect(brief(diffs)).toEqual(['header.content-type header medium', 'header.location missing high', 'header.cache-control extra low']);
  });

  it('diffs bodies when statuses agree, and skips a body cut short by the recorder', () => {
    expect(brief(diff(response(200, '{"a":1}'), response(200, '{"a":2}')))).toEqual(['body.a value medium']);
    expect(diff({ ...response(200, '{"a":1'), truncated: true }, response(200, '{"a":2}'))).toEqual([]);
  });
});
