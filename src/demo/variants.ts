import type { ChatBackendOptions, ChatFlavour } from './chat-backend.js';

/**
 * The two versions of the sample chat service the demo compares, as configurations of the one
 * in-process server. Version 2 changes a few answers the way a rewrite does, and admits waiting
 * users newest first: the queue bug `--expect-fifo` exists to catch.
 */
export interface DemoVariant {
  name: string;
  description: string;
  options: ChatBackendOptions;
}

/** Capacity both versions share: scarce enough that a multiplied replay queues. */
const CAPACITY: ChatBackendOptions = { slots: 6, inferMs: 15 };

export const VARIANT_A: DemoVariant = {
  name: 'chat v1',
  description: 'the protocol as specified, FIFO admission',
  options: { ...CAPACITY, queue: 'fifo' },
};

/** What version 2 answers differently: each one a difference compare must find. */
export const V2_FLAVOUR: Partial<ChatFlavour> = {
  // type change (high): the timestamp becomes epoch seconds
  loginOk: (token, user) => ({ token, user: { ...user, created_at: Math.floor(Date.parse(user.created_at) / 1000) } }),
  // extra field (low)
  me: (user) => ({ ...user, plan: 'free' }),
  // changed value (medium)
  reply: (text, now) => ({ type: 'reply', text: `Echo: ${text}`, at: now.toISOString() }),
};

export const VARIANT_B: DemoVariant = {
  name: 'chat v2',
  description: 'a rewrite: epoch timestamps on login, an extra field on me, capitalised replies, and LIFO admission (the queue bug)',
  options: { ...CAPACITY, queue: 'lifo', flavour: V2_FLAVOUR },
};
