import argon2 from 'argon2';

/**
 * argon2id with OWASP's second recommended setting (19 MiB, t=2, p=1): about 20 ms here, so 20 logins at
 * once stay well under half a second. The argon2 package hashes on libuv's pool, never on the event loop.
 */
const options = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 8;
/** Six digits at least: a stolen station database must not give up a PIN in minutes. */
export const MIN_PIN_LENGTH = 6;

export function hashSecret(secret: string): Promise<string> {
  return argon2.hash(secret, options);
}

/** Verifies; a malformed hash counts as a wrong password, never as an exception. */
export async function verifySecret(hash: string, secret: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, secret);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Burns the same time as a real check, so an unknown username cannot be told apart by timing. */
export async function verifyNobody(secret: string): Promise<false> {
  dummyHash ??= hashSecret('not-a-real-password');
  await verifySecret(await dummyHash, secret);
  return false;
}
