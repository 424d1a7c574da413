const key = 'baglink.token';

/**
 * Browser mode: `baglink serve` prints http://127.0.0.1:PORT/#token=TOKEN. The fragment never reaches the
 * server or a log; the token is kept in sessionStorage (gone when the tab closes) and cut from the address bar.
 */
export function takeToken(): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(key, decodeURIComponent(match[1]));
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(key);
}
