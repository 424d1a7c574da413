import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../src-shared/users.ts';
import type { LinkState } from '../../src-shared/api.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { LiveStatus } from './LiveStatus.tsx';
import { HardwareChips } from './HardwareChips.tsx';
import type { Screen, ScreenId } from './screens.ts';
import { useClient } from './station-context.tsx';

interface Props {
  session: SessionInfo | null;
  screens: readonly Screen[];
  screen: ScreenId;
  onScreen: (screen: ScreenId) => void;
  link: LinkState;
}

export function Header({ session, screens, screen, onScreen, link }: Props) {
  const { t } = useTranslation();
  const client = useClient();
  return (
    <header className="header">
      <div className="header-top">
        <div className="brand">{t('app.name')}</div>
        <LiveStatus link={link} />
        {session && (
          <div className="live" data-testid="hardware-status">
            <HardwareChips link={link} />
          </div>
        )}
        <LanguageSwitch />
        {session && (
          <div className="who">
            <span className="who-name">{session.operator.displayName || session.operator.username}</span>
            <span className="who-role">{t(`roles.${session.operator.role}`)}</span>
            <button
              type="button"
              className="button button-quiet"
              onClick={() => void client.call('auth.logout', {})}
            >
              {t('nav.logout')}
            </button>
          </div>
        )}
      </div>
      {session && (
        <nav className="nav" aria-label={t('nav.label')}>
          {screens.map((s) => (
            <button
              key={s.id}
              type="button"
              className={`nav-tab${s.id === screen ? ' nav-tab-on' : ''}`}
              aria-current={s.id === screen ? 'page' : undefined}
              data-screen={s.id}
              onClick={() => onScreen(s.id)}
            >
              {t(s.titleKey)}
            </button>
          ))}
        </nav>
      )}
    </header>
  );
}
