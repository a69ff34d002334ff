import { describe, expect, it } from 'vitest';
import { clientResponseHeaders, targetHandshakeHeaders, targetRequestHeaders } from '../../src/proxy/forward-headers.js';

const client = { address: '10.0.0.5' };

describe('targetRequestHeaders', () => {
  it('keeps order and case, drops hop-by-hop and Connection-listed names, Host and Expect', () => {
    const raw = ['Host', 'proxy:8080', 'X-A', '1', 'Connection', 'keep-alive, X-Secret-Hop', 'X-Secret-Hop', 'x', 'Expect', '100-continue', 'Transfer-Encoding', 'chunked', 'x-b', '2'];
    expect(targetRequestHeaders(raw, client)).toEqual(['X-A', '1', 'x-b', '2', 'X-Forwarded-For', '10.0.0.5', 'X-Forwarded-Proto', 'http', 'X-Forwarded-Host', 'proxy:8080']);
  });

  it('extends X-Forwarded-For (folding repeats) and keeps a -Proto and -Host set upstream', () => {
    const raw = ['X-Forwarded-For', '1.1.1.1', 'x-forwarded-for', '2.2.2.2', 'X-Forwarded-Proto', 'https', 'X-Forwarded-Host', 'app.example.com', 'Host', 'p'];
    expect(targetRequestHeaders(raw, client)).toEqual(['X-Forwarded-Proto', 'https', 'X-Forwarded-Host', 'app.example.com', 'X-Forwarded-For', '1.1.1.1, 2.2.2.2, 10.0.0.5']);
  });

  it("for a WebSocket handshake also drops the client's own handshake keys, and groups repeats for ws", () => {
    const raw = ['Sec-WebSocket-Key', 'k', 'Sec-WebSocket-Version', '13', 'Sec-WebSocket-Extensions', 'permessage-deflate', 'Sec-WebSocket-Protocol', 'a', 'Upgrade', 'websocket', 'Cookie', 'a=1', 'Cookie', 'b=2'];
    expect(targetHandshakeHeaders(raw, client)).toEqual({ Cookie: ['a=1', 'b=2'], 'X-Forwarded-For': '10.0.0.5', 'X-Forwarded-Proto': 'http' });
  });
});

describe('clientResponseHeaders', () => {
  it('records every header as it came and forwards all but the hop-by-hop ones', () => {
    const raw = ['Connection', 'keep-alive, X-Hop', 'X-Hop', 'h', 'Set-Cookie', 'a=1', 'Transfer-Encoding', 'chunked', 'set-cookie', 'b=2'].map((s) => Buffer.from(s, 'latin1'));
    const { recorded, forward } = clientResponseHeaders(raw);
    expect(recorded).toEqual([['Connection', 'keep-alive, X-Hop'], ['X-Hop', 'h'], ['Set-Cookie', 'a=1'], ['Transfer-Encoding', 'chunked'], ['set-cookie', 'b=2']]);
    expect(forward).toEqual(['Set-Cookie', 'a=1', 'set-cookie', 'b=2']);
  });
});
