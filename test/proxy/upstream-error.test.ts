import { describe, expect, it } from 'vitest';
import { failureBody, gatewayFailure, transportError } from '../../src/proxy/upstream-error.js';

describe('gatewayFailure', () => {
  it('takes the most specific code, and maps timeouts to 504 and the rest to 502', () => {
    const wrapped = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET', cause: { code: 'ECONNRESET' } });
    expect(transportError(wrapped)).toEqual({ code: 'ECONNRESET', message: 'other side closed' });
    expect(gatewayFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).status).toBe(502);
    expect(gatewayFailure(Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' })).status).toBe(504);
    expect(gatewayFailure(new Error('Opening handshake has timed out'))).toMatchObject({ status: 504, error: { code: 'EUPSTREAM' } });
  });

  it('says what failed in one line of JSON', () => {
    const text = failureBody(gatewayFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })), 'http://127.0.0.1:1');
    expect(text.endsWith('\n') && !text.slice(0, -1).includes('\n')).toBe(true);
    expect(JSON.parse(text)).toEqual({ error: 'target unreachable', code: 'ECONNREFUSED', target: 'http://127.0.0.1:1', message: 'connect ECONNREFUSED 127.0.0.1:1' });
  });
});
