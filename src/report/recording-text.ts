import type { CatalogEntry } from '../store/catalog.js';
import type { EventView, SessionView } from './recording-view.js';

/** Terminal renderings of `reprise ls` and `reprise show`. */

const PREVIEW = 96;

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > PREVIEW ? `${flat.slice(0, PREVIEW - 1)}…` : flat;
}

function bodyPreview(v: { body: string } | { bodyBase64: string }): string {
  return 'body' in v ? preview(v.body) : `<${Buffer.from(v.bodyBase64, 'base64').length} bytes binary>`;
}

export function formatEvent(e: EventView): string {
  const at = `+${e.at.toFixed(1)}ms`.padStart(12);
  switch (e.type) {
    case 'http': {
      const outcome = e.response ? String(e.response.status) : `error ${e.error?.code ?? ''}`;
      const body = e.response && e.response.bodySize > 0 ? `  ${bodyPreview(e.response)}` : '';
      return `${at}  #${e.seq} ${e.request.method} ${e.request.url} -> ${outcome} (${e.durationMs.toFixed(1)}ms)${body}`;
    }
    case 'ws-open':
      return `${at}  #${e.seq} WS ${e.url} -> ${e.status}${e.protocol ? ` [${e.protocol}]` : ''}`;
    case 'ws-message': {
      const arrow = e.direction === 'client' ? '→' : '←';
      const content = 'data' in e ? preview(e.data) : `<${e.size} bytes binary>`;
      return `${at}  #${e.seq} ${arrow} ${content}`;
    }
    case 'ws-close':
      return `${at}  #${e.seq} WS close ${e.code}${e.reason ? ` "${e.reason}"` : ''} by ${e.by}`;
  }
}

/** A session's first lines: what it is, and its value links; `eventCount` is the session's own count. */
export function formatSessionHead(s: Omit<SessionView, 'events'>, eventCount: number): string {
  const lines = [
    `session ${s.id}  ${s.tags.join(',')}  ${s.client.address}  ${s.startedAt}  ${eventCount} events  ${s.durationMs.toFixed(1)}ms  grouped by ${s.groupedBy}`,
  ];
  for (const link of s.links) {
    const uses = link.uses.map((u) => `${u.at} of #${u.seq}`).join(', ');
    lines.push(`  link ${link.source.at} of #${link.source.seq} -> ${uses}`);
  }
  return lines.join('\n');
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

const iso = (us: number | undefined): string => (us === undefined ? '-' : new Date(us / 1000).toISOString().replace('T', ' ').slice(0, 19));

export function formatCatalog(entries: CatalogEntry[]): string {
  if (entries.length === 0) return 'no recordings';
  const header = ['NAME', 'STATE', 'STARTED', 'ENDED', 'SESSIONS', 'EXCHANGES', 'WS MSGS', 'DROPPED', 'RUNS', 'SIZE'];
  const rows = entries.map((e) => {
    const counts = e.meta?.counts ?? e.status?.counts;
    return [
      e.name,
      e.state,
      iso(e.meta?.startedAt ?? e.status?.startedAt),
      iso(e.meta?.endedAt),
      String(counts?.sessions ?? '-'),
      String(counts?.exchanges ?? '-'),
      String(counts?.wsMessages ?? '-'),
      String(counts?.dropped ?? '-'),
      String(e.runs),
      size(e.sizeBytes),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(header), ...rows.map(line)];
  for (const e of entries) if (e.error) out.push(`${e.name}: ${e.error}`);
  return out.join('\n');
}
