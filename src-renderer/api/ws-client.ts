import type {
  Answer,
  ArgsOf,
  EventName,
  EventPayloads,
  Method,
  ResultOf,
  StationApiClient,
} from './types.ts';

type Listener = (payload: never) => void;
type Pending = { resolve: (answer: Answer<unknown>) => void };

/**
 * Browser mode: events and calls over the WebSocket at /ws; while it is down (station restarting), calls go
 * over HTTP and the socket reconnects with a capped backoff. No polling: state arrives as events.
 */
export function createSocketClient(token: string, onLink: (up: boolean) => void = () => {}) {
  const listeners = new Map<string, Set<Listener>>();
  const pending = new Map<number, Pending>();
  let socket: WebSocket | null = null;
  let nextId = 1;
  let retryMs = 250;

  function connect() {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    const ws = new WebSocket(url, ['baglink', `token.${token}`]);
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      onLink(true);
    };
    ws.onmessage = (message: MessageEvent<string>) => {
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
    ws.onclose = () => {
      socket = null;
      onLink(false);
      for (const [id, call] of pending) {
        call.resolve({ ok: false, error: { code: 'internal', message: 'The station connection dropped.' } });
        pending.delete(id);
      }
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  }

  async function overHttp(method: string, args: unknown): Promise<Answer<unknown>> {
    try {
      const response = await fetch(`/api/${method}`, {
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
  } satisfies StationApiClient;
}
