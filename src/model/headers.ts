/**
 * Headers exactly as they crossed the wire: name/value pairs in order, names in their original
 * case, repeated names kept apart. Replay and diff need the original shape; lookups fold case.
 */
export type RawHeaders = [name: string, value: string][];

export function headerValues(headers: RawHeaders, name: string): string[] {
  const wanted = name.toLowerCase();
  return headers.filter(([n]) => n.toLowerCase() === wanted).map(([, v]) => v);
}

export function headerValue(headers: RawHeaders, name: string): string | undefined {
  return headerValues(headers, name)[0];
}

/** Node gives raw headers as a flat [name, value, name, value, ...] list. */
export function fromRawList(raw: readonly string[]): RawHeaders {
  const out: RawHeaders = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}
