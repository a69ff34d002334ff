/**
 * The report model: what a replay or compare run concluded, in the JSON shape of `--out`. Every
 * renderer (terminal, JSON, HTML, JUnit, webhooks) reads this and nothing else, and the run
 * stores it, so `reprise report RUN` renders a stored run exactly as the run itself did.
 */
export type RunReport = ReplayReport | CompareReport;

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export interface Counts {
  total: number;
  succeeded: number;
  failed: number;
}

export interface GroupSummary {
  sessions: number;
  successRate: number;
  latencyMs: LatencySummary;
}

export interface StageSummary extends GroupSummary {
  index: number;
  /** The stage as written in --profile (`10/10s*100`), or `recorded` for the recorded arrivals. */
  spec: string;
  byTag: Record<string, GroupSummary>;
}

export interface EndpointSummary {
  /** `GET /api/me`, `WS /ws/chat`: method (or WS) and route template. */
  endpoint: string;
  requests: number;
  failed: number;
  successRate: number;
  latencyMs: LatencySummary;
}

export interface ThresholdResult {
  expr: string;
  ok: boolean;
  value: number | null;
}

export interface FifoResult {
  spec: string;
  ok: boolean;
  sessions: number;
  reached: number;
  inversions: number;
  /** Kendall's tau between start order and the order of reaching the message: 1 is perfectly fair. */
  kendallTau: number;
  /** Session copies (`<sessionId>#<copy>`) that never reached the message. */
  neverReached: string[];
}

/** One second of the run, for the charts: counts in that second, latency of what finished in it. */
export interface TimelinePoint {
  /** Seconds since the run started. */
  t: number;
  started: number;
  finished: number;
  active: number;
  requests: number;
  failed: number;
  latencyMs: { p50: number; p95: number; p99: number };
}

export interface ReplayReport {
  kind: 'replay';
  runId: string;
  recording: string;
  target: string;
  startedAt: string;
  durationMs: number;
  ok: boolean;
  sessions: Counts;
  exchanges: Counts;
  successRate: number;
  latencyMs: LatencySummary;
  byTag: Record<string, GroupSummary>;
  stages: StageSummary[];
  endpoints: EndpointSummary[];
  lagMs: { p50: number; p99: number; max: number };
  missedStarts: number;
  unreplacedValues: number;
  thresholds: ThresholdResult[];
  failures: { reason: string; count: number }[];
  fifo?: FifoResult;
  timeline: TimelinePoint[];
}

export type Risk = 'high' | 'medium' | 'low';

export type DiffKind =
  | 'status'
  | 'value'
  | 'type'
  | 'missing'
  | 'extra'
  | 'array-length'
  | 'array-order'
  | 'header'
  | 'text'
  | 'binary'
  | 'ws-handshake'
  | 'ws-missing-message'
  | 'ws-extra-message'
  | 'ws-close';

export interface DiffSample {
  primary: unknown;
  candidate: unknown;
  /** Which session copy and event it came from, to find it in the run: `<sessionId>#<copy> seq <n>`. */
  at?: string;
  /** The field with array indices kept (`body.items[3].id`), where `path` has `[*]`. */
  path?: string;
}

export interface FieldDifference {
  /** In the grammar --ignore takes: `body.user.created_at`, `status`, `ws.message[type=reply].at`. */
  path: string;
  kind: DiffKind;
  /** Primary vs candidate differences, and primary vs secondary (or recorded) ones. */
  raw: number;
  noise: number;
  risk: Risk;
  samples: DiffSample[];
}

export interface NoiseField {
  path: string;
  kind: DiffKind;
  /** Primary vs candidate differences dismissed as noise. */
  count: number;
  /** Why it is noise: `secondary`, `recorded`, or the shape (`uuid`, `timestamp`, `jwt`, ...). */
  reason: string;
  /** For `secondary` and `recorded`: the primary vs second-sample differences that outweighed `count`. */
  noise?: number;
}

export interface RouteDifferences {
  route: string;
  requests: number;
  differences: FieldDifference[];
  noise: NoiseField[];
}

export interface CompareReport {
  kind: 'compare';
  runId: string;
  recording: string;
  startedAt: string;
  durationMs: number;
  ok: boolean;
  targets: { primary: ReplayReport; candidate: ReplayReport; secondary?: ReplayReport };
  routes: RouteDifferences[];
  summary: { high: number; medium: number; low: number; noise: number };
  thresholds: ThresholdResult[];
  failOn?: Risk;
}
