import { describe, expect, it } from 'vitest';
import { storedOptions } from '../../src/cli/run-steps.js';

describe('storedOptions', () => {
  it('keeps the load flags and the seed used, never output flags such as a webhook URL', () => {
    const flags = { speed: '2', profile: '1/1s*3', html: 'r.html', junit: 'r.xml', webhook: ['https://hooks.example.test/secret'], webhookFormat: 'json' as const, quiet: true };
    const kept = storedOptions('rec', flags, 42);
    expect(kept).toEqual({ name: 'rec', speed: '2', profile: '1/1s*3', seed: 42 });
    expect(JSON.stringify(kept)).not.toContain('secret');
  });
});
