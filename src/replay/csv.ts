import { UsageError } from '../model/errors.js';

/** RFC 4180 CSV: commas, double-quoted fields with "" for a quote, CRLF or LF; blank lines skipped. */
export function parseCsv(text: string, name: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = (): void => {
    row.push(field);
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
    field = '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') endRow();
    else if (c !== '\r') field += c;
    i++;
  }
  if (quoted) throw new UsageError(`${name}: unclosed quote`);
  if (field !== '' || row.length > 0) endRow();
  return rows;
}
