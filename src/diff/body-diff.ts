import { describeBody, looksLikeJson, modelOf, sameBytes, type BodyModel, type BodySource } from './body-model.js';
import type { Emit } from './difference.js';
import { diffJson } from './json-diff.js';
import { diffJsonTexts } from './json-lockstep.js';
import { kindRisk } from './risk.js';
import { diffText } from './text-diff.js';

/**
 * Two bodies (or two WebSocket messages) as received. Equal bytes are equal; two JSON texts are
 * compared side by side without parsing what they share; anything else is parsed and compared.
 */
export function diffBodySources(primary: BodySource, candidate: BodySource, root: string, emit: Emit): void {
  const binary = primary.binary === true || candidate.binary === true;
  if (primary.binary === candidate.binary && sameBytes(primary.bytes, candidate.bytes)) return;
  if (!binary && !(primary.parsed && candidate.parsed) && looksLikeJson(primary.bytes) && looksLikeJson(candidate.bytes)) {
    if (diffJsonTexts(primary.bytes, candidate.bytes, root, emit)) return;
  }
  diffBodies(modelOf(primary), modelOf(candidate), root, emit);
}

/** Two parsed bodies at `root`: by structure, by lines, or by hash. */
export function diffBodies(primary: BodyModel, candidate: BodyModel, root: string, emit: Emit): void {
  if (primary.kind !== candidate.kind) {
    emit({ path: root, concretePath: root, kind: 'type', risk: kindRisk('type'), primary: describeBody(primary), candidate: describeBody(candidate) });
    return;
  }
  switch (primary.kind) {
    case 'empty':
      return;
    case 'json':
      return diffJson(primary.value, (candidate as typeof primary).value, root, emit);
    case 'text':
      return diffText(primary.text, (candidate as typeof primary).text, root, emit);
    case 'binary': {
      const other = candidate as typeof primary;
      if (primary.size === other.size && primary.sha1 === other.sha1) return;
      emit({ path: root, concretePath: root, kind: 'binary', risk: kindRisk('binary'), primary: describeBody(primary), candidate: describeBody(other) });
    }
  }
}
