import { useTranslation } from 'react-i18next';
import type { LinkState } from '../../src-shared/api.ts';

/** Red, under the header, the moment the station is gone: the page never looks normal while nothing is saved. */
export function LinkBanner({ link }: { link: LinkState }) {
  const { t } = useTranslation();
  if (link === 'up') return null;
  return (
    <div className="link-banner" role="alert" data-testid="link-banner" data-link={link}>
      <span aria-hidden="true" className="link-banner-icon">
        ⚠
      </span>
      <span>
        <strong>{t(link === 'down' ? 'outage.down' : 'outage.tokenChanged')}</strong>{' '}
        {t(link === 'down' ? 'outage.downHint' : 'outage.tokenChangedHint', { address: location.origin })}
      </span>
    </div>
  );
}
