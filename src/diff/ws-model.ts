import type { CloseSide, WsCloseEvent, WsMessageEvent, WsOpenEvent } from '../model/event.js';
import type { WsResult } from '../model/run.js';
import type { BodySource } from './body-model.js';

/** A WebSocket connection as the differ compares it, whether replayed or recorded. */
export interface WsModel {
  /** 101 when accepted; the refusing status; or why there is none (`error ECONNRESET`, `not opened`). */
  handshake: number | string;
  /** What the server sent, in order. */
  messages: MessageModel[];
  /** How it ended; undefined when it was still open at the end. */
  close?: { code: number; by: CloseSide };
}

export interface MessageModel extends BodySource {
  binary: boolean;
}

export function fromWsResult(result: WsResult): WsModel {
  return {
    handshake: result.status ?? (result.error ? `error ${result.error.code}` : 'no response'),
    messages: result.received.map((m) => ({ bytes: m.data, binary: m.opcode === 'binary' })),
    ...(result.close ? { close: { code: result.close.code, by: result.close.by } } : {}),
  };
}

/** The recorded connection: its ws-open, the server's messages on it and its ws-close. */
export function fromRecordedWs(open: WsOpenEvent, messages: readonly WsMessageEvent[], close?: WsCloseEvent): WsModel {
  return {
    handshake: open.error ? `error ${open.error.code}` : open.status,
    messages: messages.filter((m) => m.direction === 'server').map((m) => ({ bytes: m.data.bytes, binary: m.opcode === 'binary' })),
    ...(close ? { close: { code: close.code, by: close.by } } : {}),
  };
}

/** A connection the virtual user never opened, because it stopped before. */
export function notOpened(): WsModel {
  return { handshake: 'not opened', messages: [] };
}
