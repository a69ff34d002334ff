import type { DiffKind, Risk } from '../report/model.js';
import type { ValueShape } from './shapes.js';

/**
 * One difference found between two responses (or two WebSocket connections). The differs emit
 * these only where something differs; the accumulator counts them per route and field.
 */
export interface Difference {
  /** The field, in the grammar of field-path.ts (`body.items[*].id`). */
  path: string;
  /** The same with array indices kept (`body.items[3].id`), for samples. */
  concretePath: string;
  kind: DiffKind;
  risk: Risk;
  primary: unknown;
  candidate: unknown;
  /** Set when both values share a recognisable shape: noise by default. */
  shape?: ValueShape;
}

export type Emit = (difference: Difference) => void;
