/**
 * Colour for terminal output: only on a TTY, never when NO_COLOR is set (https://no-color.org:
 * present and not empty) or the terminal is dumb. Everything else gets plain text.
 */
export interface Palette {
  enabled: boolean;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (stream.isTTY !== true) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return env.TERM !== 'dumb';
}

const sgr = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const plain = (text: string) => text;

export function palette(enabled: boolean): Palette {
  if (!enabled) return { enabled, green: plain, red: plain, yellow: plain, bold: plain, dim: plain };
  return { enabled, green: sgr(32, 39), red: sgr(31, 39), yellow: sgr(33, 39), bold: sgr(1, 22), dim: sgr(2, 22) };
}

/** The palette for a stream, decided once from the stream and the environment. */
export function paletteFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Palette {
  return palette(colourEnabled(stream, env));
}
