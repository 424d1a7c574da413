import '@fontsource/noto-sans/400.css';
import '@fontsource/noto-sans/700.css';
import '@fontsource/noto-sans-devanagari/400.css';
import '@fontsource/noto-sans-devanagari/700.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createIpcClient } from './api/ipc-client.ts';
import { takeToken } from './api/token.ts';
import type { StationApiClient } from '../src-shared/api.ts';
import { createSocketClient } from './api/ws-client.ts';
import { App } from './app/App.tsx';
import { StationContext } from './app/station-context.tsx';
import { startI18n } from './i18n/i18n.ts';
import { NoToken } from './screens/NoToken.tsx';

/** Desktop: the preload's window.station. Browser: the WebSocket host, with the token from the address. */
function pickClient(): StationApiClient | null {
  if (window.station) return createIpcClient(window.station);
  const token = takeToken();
  return token ? createSocketClient(token) : null;
}

await startI18n();
const client = pickClient();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {client ? (
      <StationContext.Provider value={client}>
        <App />
      </StationContext.Provider>
    ) : (
      <NoToken />
    )}
  </StrictMode>,
);
