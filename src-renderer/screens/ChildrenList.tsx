import { useTranslation } from 'react-i18next';

/** The active parent's children in the order they went in, numbered, newest last: what is in the bag now. */
export function ChildrenList({ parent, children }: { parent: string; children: string[] }) {
  const { t } = useTranslation();
  return (
    <section className="scan-children" aria-labelledby="children-title">
      <h2 id="children-title">{t('floor.childrenOf', { parent })}</h2>
      {children.length === 0 ? (
        <p className="hint">{t('floor.noChildren')}</p>
      ) : (
        <ol className="children" data-testid="children">
          {children.map((code) => (
            <li key={code}>{code}</li>
          ))}
        </ol>
      )}
    </section>
  );
}
