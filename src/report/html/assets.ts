import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/**
 * The chart library (uPlot) is read from its npm package when a report is rendered and inlined,
 * so the report opens offline and never fetches anything.
 */
export interface ChartLibrary {
  script: string;
  styles: string;
}

const require = createRequire(import.meta.url);
let cached: Promise<ChartLibrary> | undefined;

export function chartLibrary(): Promise<ChartLibrary> {
  cached ??= Promise.all([
    readFile(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  ]).then(([script, styles]) => {
    // Inlined as it is, so it must not be able to end its own element.
    if (/<\/(script|style)|<!--/i.test(script + styles)) throw new Error('the chart library cannot be inlined: it contains a closing tag');
    return { script, styles };
  });
  return cached;
}
