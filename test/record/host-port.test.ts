import { describe, expect, it } from 'vitest';
import { formatHostPort, parseHostPort } from '../../src/record/host-port.js';

describe('parseHostPort', () => {
  it('reads host:port, [v6]:port, :port and port, a missing host meaning loopback', () => {
    expect(parseHostPort('0.0.0.0:8080', '--listen')).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(parseHostPort('[::1]:9', '--listen')).toEqual({ host: '::1', port: 9 });
    expect(parseHostPort(':9090', '--admin')).toEqual({ host: '127.0.0.1', port: 9090 });
    expect(parseHostPort('9090', '--admin')).toEqual({ host: '127.0.0.1', port: 9090 });
    expect(parseHostPort('localhost:0', '--listen')).toEqual({ host: 'localhost', port: 0 });
  });

  it('names the flag in its one-line refusal', () => {
    for (const bad of ['', 'host', 'host:', 'host:99999', 'a:b:1', '1.2.3.4:-1']) {
      expect(() => parseHostPort(bad, '--admin')).toThrow(expect.objectContaining({ code: 'REPRISE_USAGE', message: expect.stringContaining('--admin') }));
    }
  });

  it('formats back, with brackets for IPv6', () => {
    expect(formatHostPort({ host: '::1', port: 80 })).toBe('[::1]:80');
    expect(formatHostPort({ host: '127.0.0.1', port: 80 })).toBe('127.0.0.1:80');
  });
});
