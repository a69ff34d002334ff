import { afterEach, describe, expect, it } from 'vitest';
import { AdminServer } from '../../src/record/admin-server.js';
import { RecorderMetrics } from '../../src/record/metrics.js';
import { send } from '../proxy/harness.js';

const proxy = { proxied: 7, upstreamErrors: 2, inFlight: 1, connections: 3, wsOpen: 1, wsBufferedBytes: 0, wsPeakBufferedBytes: 0, tapFailures: 0 };
const counts = { sessions: 4, exchanges: 9, wsConnections: 1, wsMessages: 12, dropped: 5, bytes: 1000 };
const progress = { recorded: 21, queued: 0, pendingWrites: 3, pendingBytes: 120 };

describe('AdminServer', () => {
  let admin: AdminServer | undefined;
  afterEach(async () => {
    await admin?.close();
  });

  async function start(): Promise<{ admin: AdminServer; metrics: RecorderMetrics }> {
    const metrics = new RecorderMetrics({ proxy: () => proxy, counts: () => counts, progress: () => progress });
    admin = await AdminServer.start({ host: '127.0.0.1', port: 0 }, metrics, () => ({ recording: 'r1', dropped: counts.dropped }));
    return { admin, metrics };
  }

  it('answers /healthz with a JSON status', async () => {
    const { admin } = await start();
    const reply = await send(admin.url, { path: '/healthz' });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body.toString())).toEqual({ status: 'ok', recording: 'r1', dropped: 5 });
  });

  it('serves Prometheus text: proxied, recorded, dropped, pending writes, upstream errors, added latency', async () => {
    const { admin, metrics } = await start();
    metrics.addedLatency.observe(0.0003);
    const reply = await send(admin.url, { path: '/metrics' });
    expect(reply.headers['content-type']).toMatch(/^text\/plain/);
    const body = reply.body.toString();
    for (const line of [
      'reprise_proxied_total 7',
      'reprise_upstream_errors_total 2',
      'reprise_recorded_events_total 21',
      'reprise_dropped_events_total 5',
      'reprise_pending_writes 3',
      'reprise_ws_open 1',
      'reprise_added_latency_seconds_bucket{le="0.0005"} 1',
      'reprise_added_latency_seconds_count 1',
    ]) expect(body).toContain(line);
  });

  it('keeps counters monotonic between scrapes', async () => {
    const { admin } = await start();
    await send(admin.url, { path: '/metrics' });
    proxy.proxied = 10;
    expect((await send(admin.url, { path: '/metrics' })).body.toString()).toContain('reprise_proxied_total 10');
  });

  it('knows nothing else', async () => {
    const { admin } = await start();
    expect((await send(admin.url, { path: '/other' })).status).toBe(404);
    expect((await send(admin.url, { path: '/metrics', method: 'POST' })).status).toBe(405);
  });
});
