import okUrl from '../../resources/sounds/ok.wav';
import duplicateUrl from '../../resources/sounds/duplicate.wav';
import errorUrl from '../../resources/sounds/error.wav';
import parentUrl from '../../resources/sounds/parent.wav';
import fullUrl from '../../resources/sounds/parent-full.wav';
import billFullUrl from '../../resources/sounds/bill-full.wav';
import undoUrl from '../../resources/sounds/undo.wav';
import reopenedUrl from '../../resources/sounds/reopened.wav';
import completeUrl from '../../resources/sounds/complete.wav';
import doubleUrl from '../../resources/sounds/double.wav';
import weightUrl from '../../resources/sounds/weight.wav';

export type Sound =
  | 'ok'
  | 'duplicate'
  | 'double'
  | 'error'
  | 'parent'
  | 'full'
  | 'billFull'
  | 'undo'
  | 'reopened'
  | 'complete'
  | 'weight';

const urls: Record<Sound, string> = {
  ok: okUrl,
  duplicate: duplicateUrl,
  error: errorUrl,
  parent: parentUrl,
  full: fullUrl,
  billFull: billFullUrl,
  undo: undoUrl,
  reopened: reopenedUrl,
  complete: completeUrl,
  double: doubleUrl,
  weight: weightUrl,
};

const volumeKey = 'baglink.volume';

export function getVolume(): number {
  const stored = Number(localStorage.getItem(volumeKey) ?? '0.8');
  return Number.isFinite(stored) ? Math.min(1, Math.max(0, stored)) : 0.8;
}

export function setVolume(volume: number): void {
  localStorage.setItem(volumeKey, String(volume));
}

/**
 * Decoded once at start and played through Web Audio, so a sound starts in the same frame as the flash.
 * Until the page has had a tap or key press the browser may keep audio suspended; the flash still shows.
 */
function createSoundPlayer() {
  const context = new AudioContext({ latencyHint: 'interactive' });
  const buffers = new Map<Sound, AudioBuffer>();
  for (const [sound, url] of Object.entries(urls) as [Sound, string][]) {
    void fetch(url)
      .then((response) => response.arrayBuffer())
      .then((bytes) => context.decodeAudioData(bytes))
      .then((buffer) => buffers.set(sound, buffer))
      .catch(() => undefined);
  }
  const wake = () => void context.resume();
  window.addEventListener('pointerdown', wake);
  window.addEventListener('keydown', wake);

  return {
    play(sound: Sound) {
      const buffer = buffers.get(sound);
      const volume = getVolume();
      if (!buffer || volume === 0) return;
      const source = context.createBufferSource();
      const gain = context.createGain();
      gain.gain.value = volume;
      source.buffer = buffer;
      source.connect(gain).connect(context.destination);
      source.start();
    },
  };
}

export type SoundPlayer = ReturnType<typeof createSoundPlayer>;

let shared: SoundPlayer | null = null;

/** One audio context for the whole page. */
export function soundPlayer(): SoundPlayer {
  shared ??= createSoundPlayer();
  return shared;
}
