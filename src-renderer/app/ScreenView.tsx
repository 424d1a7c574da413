import { useTranslation } from 'react-i18next';
import { screenOf, type ScreenId, type ScreenProps } from './screens.ts';
import { hasRole } from './station-context.tsx';

interface Props extends ScreenProps {
  screen: ScreenId;
  notice: string | null;
  onNotice: (text: string | null) => void;
  onScreen: (screen: ScreenId) => void;
}

/** The screen on show; a screen above the operator's role is never rendered, whatever asked for it. */
export function ScreenView({ screen, role, notice, onNotice, changes, onCommand }: Props) {
  const { t } = useTranslation();
  const asked = screenOf(screen);
  const shown = hasRole(role, asked.role) ? asked : screenOf('scan');
  const Component = shown.component;
  return (
    <>
      {notice && (
        <div className="notice-bar" role="status">
          <span>{notice}</span>
          <button type="button" className="button button-quiet" onClick={() => onNotice(null)}>
            {t('common.dismiss')}
          </button>
        </div>
      )}
      <div key={shown.id} data-testid={`screen-${shown.id}`} className="screen-wrap">
        {/* The page's one top-level heading: the screen's name (the tabs show it; a screen reader needs it). */}
        <h1 className="visually-hidden">{t(shown.titleKey)}</h1>
        <Component role={role} changes={changes} onCommand={onCommand} />
      </div>
    </>
  );
}
