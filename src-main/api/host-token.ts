/**
 * What a station token may be: 16 to 512 of the URL's unreserved characters. Those travel unchanged in an
 * Authorization header, a `#token=` fragment and a `token.<TOKEN>` WebSocket subprotocol; a space or a control
 * character would start a station no client can log in to.
 */
const tokenShape = /^[A-Za-z0-9._~-]{16,512}$/;

export const tokenRule =
  'The token must be 16 to 512 characters, only letters, digits, - _ . or ~ (no spaces or control characters).';

export function isUsableToken(token: string): boolean {
  return tokenShape.test(token);
}
