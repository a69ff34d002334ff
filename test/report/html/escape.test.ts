import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript } from '../../../src/report/html/escape.js';
import { XSS } from '../fixtures.js';

describe('escapeHtml', () => {
  it('leaves no markup character standing', () => {
    for (const payload of Object.values(XSS)) expect(escapeHtml(payload)).not.toMatch(/[<>"']/);
    expect(escapeHtml(`a & b <i>"x"</i> 'y'`)).toBe('a &amp; b &lt;i&gt;&quot;x&quot;&lt;/i&gt; &#39;y&#39;');
  });
});

describe('jsonForScript', () => {
  it('cannot end its script block or open a comment, and reads back unchanged', () => {
    const value = { ...XSS, nested: [XSS.closeScript, { key: '</SCRIPT >' }] };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/<\/script|<!--|<|>|\u2028|\u2029/i);
    expect(JSON.parse(json)).toEqual(value);
  });
});
