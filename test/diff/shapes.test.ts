import { describe, expect, it } from 'vitest';
import { sharedShape } from '../../src/diff/shapes.js';

describe('sharedShape', () => {
  it('recognises two different ids, tokens and times of one shape', () => {
    expect(sharedShape('3f2b8c9e-1a2b-4c3d-8e9f-0a1b2c3d4e5f', 'A0B1C2D3-E4F5-4A6B-8C7D-9E0F1A2B3C4D')).toBe('uuid');
    expect(sharedShape('2024-05-01T10:00:00.123Z', '2025-01-31T23:59:59.999Z')).toBe('timestamp');
    expect(sharedShape('2024-05-01', '2024-06-01')).toBe('timestamp');
    expect(sharedShape('2026-12-03T14:48:44.055082+00:00', '2026-12-03T14:48:38Z')).toBe('timestamp');
    expect(sharedShape(1714557600, 1714557661)).toBe('epoch');
    expect(sharedShape(1714557600123, 1714557600999)).toBe('epoch');
    expect(sharedShape(1714557600.25, 1714557601.5)).toBe('epoch');
    expect(sharedShape('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2JieSJ9MQ.eHl6')).toBe('jwt');
    expect(sharedShape('5f3a9c01d2e4b6a8', '0b1c2d3e4f5a6b7c')).toBe('hex-id');
    expect(sharedShape('q8ZtV2mPxL0rNc4Y', 'Hk3Jw9sDfG7bQe1T')).toBe('base64-id');
  });

  it('keeps differences of length, kind and plain values', () => {
    expect(sharedShape('2024-05-01T10:00:00Z', 1714557600)).toBeUndefined();
    expect(sharedShape(1714557600, 1714557600123)).toBeUndefined();
    expect(sharedShape(42, 43)).toBeUndefined();
    expect(sharedShape('5f3a9c01d2e4b6a8', '5f3a9c01d2e4b6a8ff')).toBeUndefined();
    expect(sharedShape('alice', 'Alice')).toBeUndefined();
    expect(sharedShape('internationalize', 'characterization')).toBeUndefined();
    expect(sharedShape('cafe', 'face')).toBeUndefined();
    expect(sharedShape('3f2b8c9e-1a2b-4c3d-8e9f-0a1b2c3d4e5f', 'not-a-uuid')).toBeUndefined();
    expect(sharedShape(true, false)).toBeUndefined();
  });
});
