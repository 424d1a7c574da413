import type {
  Answer,
  ArgsOf,
  EventName,
  EventPayloads,
  LinkState,
  Method,
  ResultOf,
  StationApiClient,
} from '../../src-shared/api.ts';

type Listener = (payload: never) => void;
type Pending = { resolve: (answer: Answer<unknown>) => void };

/**
 * Browser mode: events and calls over the WebSocket at /ws; while it is down (station restarting), calls go
 * over HTTP and the link is probed with a capped backoff. No polling while up: state arrives as events. The link
 * state says at once when the station is gone, and whether it came back with another token.
 */
export function createSocketClient(token: string) {
  const listeners = new Map<string, Set<Listener>>();
  const linkListeners = new Set<(state: LinkState) => void>();
  const pending = new Map<number, Pending>();
  let socket: WebSocket | null = null;
  let nextId = 1;
  let retryMs = 250;
  let link: LinkState = 'up';
  // Calls made while the socket is still opening wait for it: the station subscribes a socket to its events
  // before it reads any call, so an answer read there is never older than the events that follow it. Over
  // HTTP meanwhile, a change between that answer and the socket's opening would be missed for good (a page
  // showing someone logged in after they logged out). A socket that takes longer than openWaitMs to open is a
  // lost link: calls go over HTTP as while the station restarts, the page says so, and reads again once it opens.
  const openWaitMs = 5_000;
  const heartbeatMs = 5_000;
  const silentAfterMs = 15_000;
  const probeWaitMs = 10_000;
  let opening: Array<(open: boolean) => void> = [];
  let waitingForOpen = false;

  function settleOpening(open: boolean) {
    waitingForOpen = false;
    const waiting = opening;
    opening = [];
    for (const resume of waiting) resume(open);
  }

  function setLink(state: LinkState) {
    if (state === link) return;
    link = state;
    for (const listener of linkListeners) listener(state);
  }

  function connect() {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    const ws = new WebSocket(url, ['baglink', `token.${token}`]);
    socket = ws;
    waitingForOpen = true;
    let heardAt = Date.now();
    let heartbeat: ReturnType<typeof setInterval> | undefined;
    // A socket that does not open in time is given up (a handshake can hang for good): lost, probed, opened anew.
    const slow = setTimeout(() => {
      if (socket !== ws || ws.readyState !== WebSocket.CONNECTING) return;
      drop();
    }, openWaitMs);

    // A closed socket is a lost station until a probe says otherwise: the page must not look normal.
    const lost = () => {
      clearTimeout(slow);
      clearInterval(heartbeat);
      if (socket !== ws) return;
      socket = null;
      settleOpening(false);
      for (const [id, call] of pending) {
        call.resolve({ ok: false, error: { code: 'offline', message: '' } });
        pending.delete(id);
      }
      if (link === 'up') setLink('down');
      setTimeout(() => void probe(), retryMs);
    };

    const drop = () => {
      ws.onopen = null;
      ws.onclose = null;
      ws.onmessage = null;
      ws.close();
      lost();
    };

    ws.onopen = () => {
      clearTimeout(slow);
      retryMs = 250;
      heardAt = Date.now();
      // A socket that stays open but carries nothing (a resumed laptop, a dropped NAT entry) never closes by
      // itself: a quiet socket is asked something cheap, and one that leaves it unanswered is dropped as lost.
      // Judged from when it was asked, so a background tab whose timers the browser slows is not dropped.
      let askedAt: number | null = null;
      heartbeat = setInterval(() => {
        const now = Date.now();
        if (askedAt !== null && heardAt < askedAt) {
          if (now - askedAt <= silentAfterMs) return;
          drop();
        } else if (now - heardAt >= heartbeatMs) {
          askedAt = now;
          void send('auth.whoami', {});
        }
      }, heartbeatMs);
      setLink('up');
      settleOpening(true);
    };
    ws.onmessage = (message: MessageEvent<string>) => {
      heardAt = Date.now();
      const frame = JSON.parse(message.data) as
        | { type: 'event'; event: string; payload: never }
        | { type: 'result'; id: number; result: Answer<unknown> };
      if (frame.type === 'event') {
        for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload);
      } else {
        pending.get(frame.id)?.resolve(frame.result);
        pending.delete(frame.id);
      }
    };
    ws.onclose = lost;
  }

  /** Asks over HTTP before opening a socket again: unreachable, a new token, or back. */
  async function probe() {
    // A probe that hangs (a half-dead link) counts as no answer, so the page goes on trying.
    const answer = await overHttp('auth.whoami', {}, probeWaitMs);
    if (!answer.ok && (answer.error.code === 'offline' || answer.error.code === 'unauthorized')) {
      setLink(answer.error.code === 'offline' ? 'down' : 'tokenChanged');
      retryMs = Math.min(retryMs * 2, 2000);
      setTimeout(() => void probe(), retryMs);
      return;
    }
    connect();
  }

  async function overHttp(method: string, args: unknown, waitMs?: number): Promise<Answer<unknown>> {
    try {
      const response = await fetch(`/api/${method}`, {
        ...(waitMs ? { signal: AbortSignal.timeout(waitMs) } : {}),
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(args ?? {}),
      });
      return (await response.json()) as Answer<unknown>;
    } catch {
      return { ok: false, error: { code: 'offline', message: '' } };
    }
  }

  connect();

  function send(method: string, args: unknown): Promise<Answer<unknown>> {
    const ws = socket;
    if (ws?.readyState === WebSocket.CONNECTING && waitingForOpen) {
      return new Promise<boolean>((resume) => opening.push(resume)).then((open) =>
        open ? send(method, args) : overHttp(method, args),
      );
    }
    if (!ws || ws.readyState !== WebSocket.OPEN) return overHttp(method, args);
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, { resolve });
      ws.send(JSON.stringify({ type: 'call', id, method, args: args ?? {} }));
    });
  }

  return {
    call: <M extends Method>(method: M, args: ArgsOf<M>) =>
      send(method, args) as Promise<Answer<ResultOf<M>>>,
    on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      set.add(listener as Listener);
      return () => {
        set.delete(listener as Listener);
      };
    },
    onLink(listener: (state: LinkState) => void) {
      linkListeners.add(listener);
      listener(link);
      return () => {
        linkListeners.delete(listener);
      };
    },
  } satisfies StationApiClient;
}
