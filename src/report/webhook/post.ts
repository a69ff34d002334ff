/**
 * Delivers one JSON body to one URL. A webhook is a courtesy, not part of the run: it retries
 * on 429, 5xx and network errors with exponential backoff (honouring Retry-After), inside a
 * bounded total time, and then reports why it gave up instead of throwing.
 */
export interface PostOptions {
  /** Total time for all attempts, waits included. */
  deadlineMs?: number;
  /** Bound for one attempt. */
  attemptTimeoutMs?: number;
  maxAttempts?: number;
  /** First backoff; each retry doubles it. */
  baseDelayMs?: number;
}

export interface PostOutcome {
  ok: boolean;
  attempts: number;
  status?: number;
  /** Why it was not delivered, in a few words. */
  error?: string;
}

const DEFAULTS: Required<PostOptions> = { deadlineMs: 15_000, attemptTimeoutMs: 5_000, maxAttempts: 4, baseDelayMs: 500 };

export async function postJson(url: string, body: unknown, options: PostOptions = {}): Promise<PostOutcome> {
  const o = { ...DEFAULTS, ...options };
  const deadline = Date.now() + o.deadlineMs;
  const payload = JSON.stringify(body);
  let last: PostOutcome = { ok: false, attempts: 0, error: 'not sent' };
  for (let attempt = 1; attempt <= o.maxAttempts; attempt++) {
    const left = deadline - Date.now();
    if (left <= 0) return { ...last, error: `${last.error}; gave up after ${o.deadlineMs}ms` };
    const { outcome, retryAfterMs } = await attemptPost(url, payload, Math.min(o.attemptTimeoutMs, left), attempt);
    if (outcome.ok || retryAfterMs === undefined) return outcome;
    last = outcome;
    const wait = Math.max(retryAfterMs, o.baseDelayMs * 2 ** (attempt - 1));
    if (attempt === o.maxAttempts) break;
    if (Date.now() + wait >= deadline) return { ...last, error: `${last.error}; the next try (in ${wait}ms) would pass the ${o.deadlineMs}ms limit` };
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return last;
}

/** One try; retryAfterMs is set when trying again could help. */
async function attemptPost(url: string, payload: string, timeoutMs: number, attempt: number): Promise<{ outcome: PostOutcome; retryAfterMs?: number }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'reprise' },
      body: payload,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    const text = await res.text().catch(() => '');
    if (res.ok) return { outcome: { ok: true, attempts: attempt, status: res.status } };
    const outcome: PostOutcome = { ok: false, attempts: attempt, status: res.status, error: `HTTP ${res.status}${text ? `: ${text.slice(0, 120).replace(/\s+/g, ' ')}` : ''}` };
    if (res.status !== 429 && res.status < 500) return { outcome };
    return { outcome, retryAfterMs: retryAfter(res.headers.get('retry-after'), text) };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    const reason = e.name === 'TimeoutError' ? `no answer within ${timeoutMs}ms` : (e.cause?.code ?? e.message);
    return { outcome: { ok: false, attempts: attempt, error: reason }, retryAfterMs: 0 };
  }
}

/** Retry-After in seconds or as an HTTP date; Discord also puts `retry_after` (seconds) in its body. */
export function retryAfter(header: string | null, body = ''): number {
  if (header) {
    const seconds = Number(header);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(header);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  try {
    const seconds = (JSON.parse(body) as { retry_after?: unknown }).retry_after;
    if (typeof seconds === 'number' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  } catch {
    // not JSON: no hint
  }
  return 0;
}
