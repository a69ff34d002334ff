import { formatJsonPath, parseJsonPath, type PathSegment } from '../model/json-path.js';
import { UsageError } from '../model/errors.js';

/**
 * The grammar of the paths the compare report prints and `--ignore` takes back:
 *
 *   status                          header.content-type
 *   body                            body.user.created_at     body.items[*].id     body["odd key"]
 *   ws.handshake                    ws.close.code            ws.close.by
 *   ws.message[*].text              ws.message[type=reply].at
 *
 * Array elements print as `[*]`: every element of an array is one field, so that counts add up
 * across responses whose arrays differ in length. A WebSocket message is `ws.message[*]` when
 * messages are aligned in order, or `ws.message[KEY=VALUE]` when paired by --ws-key.
 */
export const STATUS = 'status';
export const BODY = 'body';
export const WS_HANDSHAKE = 'ws.handshake';
export const WS_CLOSE_CODE = 'ws.close.code';
export const WS_CLOSE_BY = 'ws.close.by';

export function headerPath(name: string): string {
  return `header.${name.toLowerCase()}`;
}

/** `root` followed by JSON segments; indices print as `[*]` unless `concrete`. */
export function formatFieldPath(root: string, segments: readonly PathSegment[], concrete = false): string {
  if (segments.length === 0) return root;
  const shown = concrete ? segments : segments.map((s) => (typeof s === 'number' ? '*' : s));
  return root + formatJsonPath(shown).slice(1);
}

/** `ws.message[*]`, or `ws.message[type=reply]` for a message paired by key. */
export function wsMessageRoot(keyLabel?: string, keyValue?: string): string {
  if (keyLabel === undefined || keyValue === undefined) return 'ws.message[*]';
  const value = /^[\w.:-]+$/.test(keyValue) ? keyValue : JSON.stringify(keyValue);
  return `ws.message[${keyLabel}=${value}]`;
}

/** How a --ws-key path is named inside a message path: `$.type` -> `type`, `$.meta.kind` -> `meta.kind`. */
export function wsKeyLabel(keyPath: string): string {
  return keyPath.replace(/^\$\.?/, '') || '$';
}

/** True when `path` is `prefix` or lies below it (`body.user` holds `body.user.id` and `body.user[*]`). */
export function isWithin(path: string, prefix: string): boolean {
  if (!path.startsWith(prefix)) return false;
  const next = path[prefix.length];
  return next === undefined || next === '.' || next === '[';
}

/** Throws a UsageError naming what is wrong when `path` is not in the grammar above. */
export function checkFieldPath(path: string): void {
  if ([STATUS, BODY, WS_HANDSHAKE, WS_CLOSE_CODE, WS_CLOSE_BY, 'ws.close'].includes(path)) return;
  if (/^header\.[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(path)) return;
  const tail = path.startsWith(BODY) ? path.slice(BODY.length) : wsMessageTail(path);
  if (tail === undefined) {
    throw new UsageError(
      `bad field path "${path}": it starts with status, header.NAME, body, ws.handshake, ws.message[...] or ws.close`,
    );
  }
  let segments: PathSegment[];
  try {
    segments = parseJsonPath('$' + tail);
  } catch (error) {
    throw new UsageError(`bad field path "${path}": ${(error as Error).message.replace(/JSON path/g, 'path')}`);
  }
  if (segments.some((s) => typeof s === 'number')) {
    throw new UsageError(`bad field path "${path}": array elements are one field, write [*] instead of an index`);
  }
}

/** What follows `ws.message[...]`, or undefined when `path` does not start so. */
function wsMessageTail(path: string): string | undefined {
  const m = /^ws\.message\[(?:\*|[^=\]"]+=(?:"(?:[^"\\]|\\.)*"|[^\]"]*))\]/.exec(path);
  return m ? path.slice(m[0].length) : undefined;
}
