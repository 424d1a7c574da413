import { createHash } from 'node:crypto';

/**
 * The sha256 (hex) of an operation's content as the station stored it: its kind and its payload text. With
 * the operation's id (the outbox's uuidv7, never rebuilt from its seq) it tells the centre whether an operation
 * under an already applied seq is the same one resent, or another one (a restored backup, a twin PC).
 */
export function opHash(op: string, payload: string): string {
  return createHash('sha256').update(op).update('\n').update(payload).digest('hex');
}
