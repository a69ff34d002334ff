import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ProxyStats } from '../proxy/proxy-server.js';
import type { RecordingCounts } from '../model/recording.js';

export interface MetricSources {
  proxy: () => ProxyStats;
  counts: () => RecordingCounts;
  progress: () => { recorded: number; queued: number; pendingWrites: number; pendingBytes: number };
}

/**
 * The recorder's Prometheus metrics, in a registry of its own (several recorders can share a
 * process, as in the tests). Totals are read from the proxy's and recorder's counters when
 * scraped, so the forwarding path pays only for the added-latency histogram.
 */
export class RecorderMetrics {
  readonly registry = new Registry();
  readonly addedLatency: Histogram;

  constructor(sources: MetricSources) {
    const r = [this.registry];
    const total = (name: string, help: string, read: () => number): void => {
      let last = 0;
      new Counter({
        name,
        help,
        registers: r,
        collect() {
          const now = read();
          if (now > last) this.inc(now - last);
          last = now;
        },
      });
    };
    const gauge = (name: string, help: string, read: () => number): void => {
      new Gauge({
        name,
        help,
        registers: r,
        collect() {
          this.set(read());
        },
      });
    };
    total('reprise_proxied_total', 'HTTP exchanges forwarded to the target and answered by it', () => sources.proxy().proxied);
    total('reprise_upstream_errors_total', 'Exchanges and WebSocket handshakes the target failed (answered 502/504)', () => sources.proxy().upstreamErrors);
    total('reprise_ws_messages_total', 'WebSocket messages relayed, both directions', () => sources.counts().wsMessages);
    total('reprise_recorded_events_total', 'Events handed to the store', () => sources.progress().recorded);
    total('reprise_dropped_events_total', 'Events that could not be stored (store behind or failing); traffic went on', () => sources.counts().dropped);
    gauge('reprise_pending_writes', 'Entries waiting to be written to the store', () => sources.progress().pendingWrites);
    gauge('reprise_pending_write_bytes', 'Encoded bytes waiting to be written to the store', () => sources.progress().pendingBytes);
    gauge('reprise_queued_events', 'Events waiting to be stitched into sessions', () => sources.progress().queued);
    gauge('reprise_in_flight_requests', 'HTTP exchanges being forwarded now', () => sources.proxy().inFlight);
    gauge('reprise_ws_open', 'WebSocket connections being relayed now', () => sources.proxy().wsOpen);
    gauge('reprise_sessions', 'Sessions recorded so far', () => sources.counts().sessions);
    this.addedLatency = new Histogram({
      name: 'reprise_added_latency_seconds',
      help: 'Time the proxy added to an exchange: before the request reached the target and after its response ended',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers: r,
    });
  }
}
