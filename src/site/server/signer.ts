import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Shortest time between a form's issue and its submission: faster than a person can type. */
export const MIN_FORM_SECONDS = 3;
/** Longest: a form older than a day must be reloaded. */
export const MAX_FORM_SECONDS = 24 * 60 * 60;

/** What a form token says about a submission. */
export type TokenCheck =
  { ok: true } | { ok: false; why: 'missing' | 'invalid' | 'expired' } | { ok: false; why: 'early'; waitSeconds: number };

/**
 * Everything the server signs or hashes with the blog's secret, each under its own purpose so
 * that no value made for one use is accepted for another.
 */
export interface Signer {
  /** A form token issued at `nowMs`: "<seconds>.<signature>". */
  formToken(nowMs: number): string;
  checkFormToken(token: string | undefined, nowMs: number): TokenCheck;
  /** The issue time of a valid token, or null. */
  issuedAt(token: string | undefined): number | null;
  /** A signature for a value (a held comment's id in the address that shows its notice). */
  sign(purpose: string, value: string): string;
  verify(purpose: string, value: string, signature: string): boolean;
  /** A keyed hash that stands for a reader or a network without revealing it. */
  hash(purpose: string, value: string): string;
}

/** A new opaque id for a reader's browser (the like cookie). */
export function newReaderId(): string {
  return randomBytes(16).toString('base64url');
}

/** The signer of a blog's secret. */
export function createSigner(secret: Buffer): Signer {
  const mac = (purpose: string, value: string) => createHmac('sha256', secret).update(`${purpose}\n${value}`).digest('base64url');
  const same = (a: string, b: string) => {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  };
  const issuedAt = (token: string | undefined): number | null => {
    const match = /^(\d{9,12})\.([\w-]{43})$/.exec(token ?? '');
    if (!match || !same(mac('form', match[1]!), match[2]!)) return null;
    return Number(match[1]) * 1000;
  };
  // Every page served in the same second carries the same token: signed once.
  let lastToken = { seconds: '', token: '' };
  return {
    formToken: (nowMs) => {
      const seconds = String(Math.floor(nowMs / 1000));
      if (lastToken.seconds !== seconds) lastToken = { seconds, token: `${seconds}.${mac('form', seconds)}` };
      return lastToken.token;
    },
    issuedAt,
    checkFormToken: (token, nowMs) => {
      if (token === undefined || token === '') return { ok: false, why: 'missing' };
      const issued = issuedAt(token);
      if (issued === null) return { ok: false, why: 'invalid' };
      const age = (nowMs - issued) / 1000;
      if (age > MAX_FORM_SECONDS) return { ok: false, why: 'expired' };
      if (age < MIN_FORM_SECONDS) return { ok: false, why: 'early', waitSeconds: Math.max(1, Math.ceil(MIN_FORM_SECONDS - age)) };
      return { ok: true };
    },
    sign: (purpose, value) => mac(purpose, value),
    verify: (purpose, value, signature) => same(mac(purpose, value), signature),
    hash: (purpose, value) => createHmac('sha256', secret).update(`${purpose}\n${value}`).digest('hex').slice(0, 32),
  };
}
