import { parseJsonPath, queryJson, type PathSegment } from '../model/json-path.js';
import { UsageError } from '../model/errors.js';
import { describeBody, modelOf } from './body-model.js';
import { diffBodySources } from './body-diff.js';
import type { Emit } from './difference.js';
import { WS_CLOSE_BY, WS_CLOSE_CODE, WS_HANDSHAKE, wsKeyLabel, wsMessageRoot } from './field-path.js';
import { closeRisk, kindRisk } from './risk.js';
import type { MessageModel, WsModel } from './ws-model.js';

/** `--ws-key JSONPATH`: pairs server messages by this value instead of by position. */
export interface WsKey {
  segments: PathSegment[];
  label: string;
}

export function parseWsKey(spec: string): WsKey {
  try {
    return { segments: parseJsonPath(spec), label: wsKeyLabel(spec) };
  } catch (error) {
    throw new UsageError(`bad --ws-key "${spec}": ${(error as Error).message}`);
  }
}

/**
 * Two replays of one WebSocket connection: the handshake, then the server's messages, then the
 * close. Messages pair in order, or with a key in order within each key value, so that two
 * servers that interleave `queued` updates and `reply`s differently still pair reply with reply.
 * A refused handshake is the difference; its messages are not compared.
 */
export function diffWebSockets(primary: WsModel, candidate: WsModel, key: WsKey | undefined, emit: Emit): void {
  if (primary.handshake !== candidate.handshake) {
    emit({ path: WS_HANDSHAKE, concretePath: WS_HANDSHAKE, kind: 'ws-handshake', risk: kindRisk('ws-handshake'), primary: primary.handshake, candidate: candidate.handshake });
    return;
  }
  for (const [label, a, b] of pairGroups(primary.messages, candidate.messages, key)) diffSequence(a, b, label, emit);
  diffClose(primary, candidate, emit);
}

type Group = [root: string, primary: MessageModel[], candidate: MessageModel[]];

function pairGroups(primary: MessageModel[], candidate: MessageModel[], key: WsKey | undefined): Group[] {
  if (!key) return [[wsMessageRoot(), primary, candidate]];
  const groups = new Map<string | undefined, Group>();
  const add = (side: 1 | 2, message: MessageModel) => {
    const value = keyValue(message, key);
    let group = groups.get(value);
    if (!group) groups.set(value, (group = [wsMessageRoot(key.label, value), [], []]));
    group[side].push(message);
  };
  for (const m of primary) add(1, m);
  for (const m of candidate) add(2, m);
  return [...groups.values()];
}

function keyValue(message: MessageModel, key: WsKey): string | undefined {
  const body = modelOf(message);
  if (body.kind !== 'json') return undefined;
  const found = queryJson(body.value, key.segments)[0];
  if (found === undefined) return undefined;
  return typeof found === 'string' ? found : JSON.stringify(found);
}

function diffSequence(primary: MessageModel[], candidate: MessageModel[], root: string, emit: Emit): void {
  const paired = Math.min(primary.length, candidate.length);
  for (let i = 0; i < paired; i++) {
    diffBodySources(primary[i]!, candidate[i]!, root, emit);
  }
  for (let i = paired; i < primary.length; i++) {
    emit({ path: root, concretePath: `${root} #${i + 1}`, kind: 'ws-missing-message', risk: kindRisk('ws-missing-message'), primary: sample(primary[i]!), candidate: undefined });
  }
  for (let i = paired; i < candidate.length; i++) {
    emit({ path: root, concretePath: `${root} #${i + 1}`, kind: 'ws-extra-message', risk: kindRisk('ws-extra-message'), primary: undefined, candidate: sample(candidate[i]!) });
  }
}

function sample(message: MessageModel): unknown {
  const body = modelOf(message);
  if (body.kind === 'json') return body.value;
  return body.kind === 'text' ? body.text : describeBody(body);
}

function diffClose(primary: WsModel, candidate: WsModel, emit: Emit): void {
  const a = primary.close?.code ?? 'open';
  const b = candidate.close?.code ?? 'open';
  if (a !== b) emit({ path: WS_CLOSE_CODE, concretePath: WS_CLOSE_CODE, kind: 'ws-close', risk: closeRisk(a, b), primary: a, candidate: b });
  const by = primary.close?.by ?? 'open';
  const otherBy = candidate.close?.by ?? 'open';
  if (by !== otherBy) emit({ path: WS_CLOSE_BY, concretePath: WS_CLOSE_BY, kind: 'ws-close', risk: kindRisk('ws-close'), primary: by, candidate: otherBy });
}
