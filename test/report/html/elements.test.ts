import { describe, expect, it } from 'vitest';
import { el, fragment, table, trusted } from '../../../src/report/html/elements.js';
import { XSS } from '../fixtures.js';

describe('elements', () => {
  it('escapes text children and attribute values, and only trusted markup passes as is', () => {
    const html = el('p', { title: XSS.attribute, hidden: true, skipped: undefined }, XSS.script, trusted('<b>ok</b>'), 3, null, false).markup;
    expect(html).toBe(
      '<p title="&quot;&gt;&lt;img src=x onerror=&quot;window.__xss=&#39;img&#39;&quot;&gt;" hidden>&lt;script&gt;window.__xss = &quot;script&quot;&lt;/script&gt;<b>ok</b>3</p>',
    );
  });

  it('nests fragments and arrays without escaping twice', () => {
    expect(fragment(['a<', el('i', {}, 'b&')], 'c').markup).toBe('a&lt;<i>b&amp;</i>c');
  });

  it('builds a table with a group header row and numeric cells aligned', () => {
    const html = table([{ head: 'name', cell: (r: [string, number]) => r[0] }, { head: 'n', numeric: true, cell: (r) => r[1] }], [[XSS.svg, 2]], [{ label: 'g', span: 2 }]).markup;
    expect(html).toContain('<tr class="groups"><th colspan="2">g</th></tr>');
    expect(html).toContain('<td class="num">2</td>');
    expect(html).toContain('&lt;svg onload=window.__xss=&#39;svg&#39;&gt;');
    expect(html).not.toContain('<svg');
  });
});
