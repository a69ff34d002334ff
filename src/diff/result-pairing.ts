import type { ExchangeResult, SessionResult, TargetRole, WsResult } from '../model/run.js';
import type { DiffAccumulator } from './accumulator.js';
import type { Difference } from './difference.js';
import { diffResponses } from './exchange-diff.js';
import type { RecordedSessions } from './recorded-reference.js';
import { fromExchange, notSent, type ModelOptions, type ResponseModel } from './response-model.js';
import type { RouteTemplates } from './routes.js';
import { diffWebSockets, type WsKey } from './ws-align.js';
import { fromWsResult, notOpened, type WsModel } from './ws-model.js';

export interface PairingOptions {
  /** The roles of the run; a copy is compared once every one of them has reported it. */
  roles: readonly TargetRole[];
  /** How each role's responses are normalised (its origin differs). */
  models: Partial<Record<TargetRole, ModelOptions>>;
  routes: RouteTemplates;
  wsKey?: WsKey;
  accumulator: DiffAccumulator;
  /** The second primary sample when there is no secondary role. */
  recorded?: RecordedSessions;
}

type Group = Partial<Record<TargetRole, SessionResult>>;

/**
 * Pairs the virtual users' results across roles as they stream in: the same copy index is the
 * same user, and within it the same seq is the same recorded exchange or connection. A copy is
 * held only until every role has reported it, then diffed (primary vs candidate, and primary vs
 * the secondary or the recording for noise) and dropped.
 */
export class ResultPairer {
  private readonly pending = new Map<number, Group>();
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(private readonly o: PairingOptions) {}

  add(result: SessionResult): void {
    let group = this.pending.get(result.copy);
    if (!group) this.pending.set(result.copy, (group = {}));
    group[result.role] = result;
    if (this.o.roles.every((role) => group[role])) {
      this.pending.delete(result.copy);
      this.enqueue(group);
    }
  }

  /** Compares the copies some role never reported (everything of theirs counts as not sent). */
  async finish(): Promise<void> {
    for (const group of this.pending.values()) this.enqueue(group);
    this.pending.clear();
    await this.chain;
    if (this.failure !== undefined) throw this.failure;
  }

  private enqueue(group: Group): void {
    this.chain = this.chain.then(() => this.compare(group)).catch((error: unknown) => void (this.failure ??= error));
  }

  private async compare(group: Group): Promise<void> {
    const any = (group.primary ?? group.candidate ?? group.secondary)!;
    const secondary = this.o.roles.includes('secondary');
    const recorded = secondary ? undefined : await this.o.recorded?.get(any.sessionId);
    const at = (seq: number) => `${any.sessionId}#${any.copy} seq ${seq}`;

    const exchanges = indexed(group, (r) => r.exchanges);
    for (const seq of exchanges.seqs) {
      const first = (exchanges.primary.get(seq) ?? exchanges.candidate.get(seq))!;
      const primary = this.response(exchanges.primary.get(seq), 'primary');
      const reference = secondary ? this.response(exchanges.secondary.get(seq), 'secondary') : recorded?.http.get(seq);
      this.o.accumulator.add({
        route: this.o.routes.routeOf(first.method, first.url),
        at: at(seq),
        raw: collect((emit) => diffResponses(primary, this.response(exchanges.candidate.get(seq), 'candidate'), emit)),
        noise: reference ? collect((emit) => diffResponses(primary, reference, emit)) : [],
      });
    }

    const sockets = indexed(group, (r) => r.websockets);
    for (const seq of sockets.seqs) {
      const first = (sockets.primary.get(seq) ?? sockets.candidate.get(seq))!;
      const primary = ws(sockets.primary.get(seq));
      const reference = secondary ? ws(sockets.secondary.get(seq)) : recorded?.ws.get(seq);
      this.o.accumulator.add({
        route: this.o.routes.routeOf('WS', first.url),
        at: at(seq),
        raw: collect((emit) => diffWebSockets(primary, ws(sockets.candidate.get(seq)), this.o.wsKey, emit)),
        noise: reference ? collect((emit) => diffWebSockets(primary, reference, this.o.wsKey, emit)) : [],
      });
    }
  }

  private response(result: ExchangeResult | undefined, role: TargetRole): ResponseModel {
    return result ? fromExchange(result, this.o.models[role]!) : notSent();
  }
}

function ws(result: WsResult | undefined): WsModel {
  return result ? fromWsResult(result) : notOpened();
}

interface Indexed<T> {
  primary: Map<number, T>;
  candidate: Map<number, T>;
  secondary: Map<number, T>;
  /** Every seq the primary or the candidate has, in order. */
  seqs: number[];
}

function indexed<T extends { seq: number }>(group: Group, items: (r: SessionResult) => T[]): Indexed<T> {
  const bySeq = (r: SessionResult | undefined) => new Map((r ? items(r) : []).map((x) => [x.seq, x] as const));
  const out = { primary: bySeq(group.primary), candidate: bySeq(group.candidate), secondary: bySeq(group.secondary) };
  const seqs = [...new Set([...out.primary.keys(), ...out.candidate.keys()])].sort((a, b) => a - b);
  return { ...out, seqs };
}

function collect(run: (emit: (d: Difference) => void) => void): Difference[] {
  const out: Difference[] = [];
  run((d) => out.push(d));
  return out;
}
