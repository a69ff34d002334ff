import { diffBodySources } from './body-diff.js';
import type { Emit } from './difference.js';
import { BODY, headerPath, STATUS } from './field-path.js';
import type { ResponseModel } from './response-model.js';
import { kindRisk, statusRisk } from './risk.js';
import { sharedShape } from './shapes.js';

/**
 * Two responses to the same request. A different status is the difference, at the top: a 404
 * page against a 200 body says nothing field by field, so headers and bodies are compared only
 * when the statuses agree.
 */
export function diffResponses(primary: ResponseModel, candidate: ResponseModel, emit: Emit): void {
  if (primary.status !== candidate.status) {
    emit({ path: STATUS, concretePath: STATUS, kind: 'status', risk: statusRisk(primary.status, candidate.status), primary: primary.status, candidate: candidate.status });
    return;
  }
  diffHeaders(primary.headers, candidate.headers, emit);
  if (primary.truncated || candidate.truncated) return;
  diffBodySources(primary, candidate, BODY, emit);
}

function diffHeaders(primary: Map<string, string>, candidate: Map<string, string>, emit: Emit): void {
  for (const [name, value] of primary) {
    const other = candidate.get(name);
    if (other === value) continue;
    const path = headerPath(name);
    if (other === undefined) {
      emit({ path, concretePath: path, kind: 'missing', risk: kindRisk('missing'), primary: value, candidate: undefined });
    } else {
      const shape = sharedShape(value, other);
      emit({ path, concretePath: path, kind: 'header', risk: kindRisk('header'), primary: value, candidate: other, ...(shape ? { shape } : {}) });
    }
  }
  for (const [name, value] of candidate) {
    if (primary.has(name)) continue;
    const path = headerPath(name);
    emit({ path, concretePath: path, kind: 'extra', risk: kindRisk('extra'), primary: undefined, candidate: value });
  }
}
