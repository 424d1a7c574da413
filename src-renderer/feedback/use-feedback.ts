import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { flashMs, type Flash } from './feedback.ts';
import { soundPlayer, type SoundPlayer } from './sounds.ts';

/**
 * The flash queue. A non-error flash replaces the previous one and fades by itself; an error stays until
 * acknowledged, and errors that arrive meanwhile queue behind it, so a following scan cannot dismiss one unseen.
 */
export function useFeedback(onSharedFlash: () => void = () => {}) {
  const sharedFlash = useRef(onSharedFlash);
  sharedFlash.current = onSharedFlash;
  const player = useRef<SoundPlayer | null>(null);
  const [current, setCurrent] = useState<Flash | null>(null);
  const [visible, setVisible] = useState(false);
  const [queue, setQueue] = useState<Flash[]>([]);
  const shown = useRef<{ flash: Flash | null; visible: boolean; queue: Flash[] }>({
    flash: null,
    visible: false,
    queue: [],
  });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    player.current ??= soundPlayer();
  }, []);

  const setShown = useCallback((flash: Flash | null, isVisible: boolean, waiting: Flash[]) => {
    shown.current = { flash, visible: isVisible, queue: waiting };
    setCurrent(flash);
    setVisible(isVisible);
    setQueue(waiting);
  }, []);

  const showNow = useCallback(
    (flash: Flash, waiting: Flash[]) => {
      clearTimeout(timer.current);
      setShown(flash, true, waiting);
      if (!flash.sticky) {
        timer.current = setTimeout(() => setShown(flash, false, shown.current.queue), flashMs[flash.kind]);
      }
    },
    [setShown],
  );

  const show = useCallback(
    (flash: Flash) => {
      const now = shown.current;
      // The same weighing heard twice (its event and a read after a login) is one flash.
      if (
        flash.ack &&
        ((now.visible && now.flash?.id === flash.id) || now.queue.some((f) => f.id === flash.id))
      )
        return;
      player.current?.play(flash.sound);
      if (now.flash?.sticky && now.visible) {
        if (flash.sticky) setShown(now.flash, true, [...now.queue, flash]);
        return;
      }
      showNow(flash, now.queue);
    },
    [showNow, setShown],
  );

  const acknowledgeHere = useCallback(() => {
    const [next, ...rest] = shown.current.queue;
    if (next) showNow(next, rest);
    else setShown(shown.current.flash, false, []);
  }, [showNow, setShown]);

  // Other tabs of this station show the same reads: an error acknowledged in one is acknowledged in all, and a
  // change made in one (a command run once for all tabs) flashes in all.
  const tabs = useRef<BroadcastChannel | null>(null);
  useEffect(() => {
    const channel = new BroadcastChannel('baglink.flash');
    tabs.current = channel;
    channel.onmessage = (message: MessageEvent<{ acknowledged?: string; shown?: Flash }>) => {
      const now = shown.current;
      const { acknowledged, shown: flash } = message.data;
      if (flash) {
        show(flash);
        sharedFlash.current();
      } else if (now.flash?.sticky && now.visible && now.flash.id === acknowledged) acknowledgeHere();
    };
    return () => {
      tabs.current = null;
      channel.close();
    };
  }, [acknowledgeHere, show]);

  /** Shows a flash here and in the station's other tabs. */
  const share = useCallback(
    (flash: Flash) => {
      tabs.current?.postMessage({ shown: flash });
      show(flash);
    },
    [show],
  );

  const acknowledge = useCallback(() => {
    const now = shown.current;
    // A weight that is off waits for a supervisor's acknowledgement in the station: a tap or ACK does not clear it.
    if (now.flash?.ack && now.visible) return;
    if (now.flash?.sticky && now.visible) tabs.current?.postMessage({ acknowledged: now.flash.id });
    acknowledgeHere();
  }, [acknowledgeHere]);

  /** The station settled what a flash waited for (a supervisor acknowledged the weight): it goes, shown or queued. */
  const dismiss = useCallback(
    (id: string) => {
      const now = shown.current;
      if (now.visible && now.flash?.id === id) return acknowledgeHere();
      if (now.queue.some((f) => f.id === id))
        setShown(
          now.flash,
          now.visible,
          now.queue.filter((f) => f.id !== id),
        );
    },
    [acknowledgeHere, setShown],
  );

  const errorShown = !!current?.sticky && visible;
  return useMemo(
    () => ({ current, visible, waiting: queue.length, show, share, acknowledge, dismiss, errorShown }),
    [current, visible, queue.length, show, share, acknowledge, dismiss, errorShown],
  );
}

export type Feedback = ReturnType<typeof useFeedback>;
