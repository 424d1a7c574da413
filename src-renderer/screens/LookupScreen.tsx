import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BagStory, Role } from '../../src-shared/domain.ts';
import type { ApiError } from '../../src-shared/api.ts';
import { useScanTarget } from '../app/scan-target.ts';
import { hasRole, useClient } from '../app/station-context.tsx';
import { useErrorText } from '../i18n/error-text.ts';
import { ErrorLine, Field, formatDateTime, Section } from '../ui/ui.tsx';
import { ChildEdit } from './ChildEdit.tsx';
import { nearMisses } from './near-misses.ts';
import { ParentLabels } from './ParentLabels.tsx';
import { ParentWeightFacts } from './ParentWeightFacts.tsx';

/** Scan or type any code and see its whole story; an unknown code offers the near misses that exist. */
export function LookupScreen({ initial, role }: { initial?: string; role?: Role }) {
  // A supervisor moves or takes out a child from a bag's story.
  const canEditLinks = hasRole(role, 'supervisor');
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const [code, setCode] = useState(initial ?? '');
  const [story, setStory] = useState<BagStory | null>(null);
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const lookup = async (wanted: string) => {
    const value = wanted.trim();
    if (!value) return;
    setCode(value);
    setDone(null);
    const answer = await client.call('bags.lookup', { code: value });
    setError(answer.ok ? null : answer.error);
    setStory(answer.ok ? answer.value : null);
    setSuggestions([]);
    if (answer.ok && !answer.value.bag) {
      const candidates = nearMisses(answer.value.code);
      const answers = await Promise.all(candidates.map((c) => client.call('bags.lookup', { code: c })));
      setSuggestions(answers.flatMap((a) => (a.ok && a.value.bag ? [a.value.code] : [])));
    }
  };
  useScanTarget((scanned) => void lookup(scanned));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void lookup(code);
  };

  return (
    <main className="screen">
      <form className="row-form" onSubmit={submit}>
        <Field
          label={t('lookup.code')}
          name="code"
          data-wedge="keep"
          autoComplete="off"
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <button type="submit" className="button button-primary">
          {t('lookup.submit')}
        </button>
      </form>
      <p className="hint">{t('lookup.hint')}</p>
      <ErrorLine text={error && errorText(error)} />
      {done && (
        <p className="notice" role="status" data-testid="lookup-done">
          {done}
        </p>
      )}
      {story && !story.bag && (
        <div className="notice" data-testid="lookup-unknown">
          <p>{t('lookup.unknown', { code: story.code })}</p>
          {suggestions.length > 0 && (
            <div className="suggest">
              <span>{t('lookup.didYouMean')}</span>
              {suggestions.map((s) => (
                <button key={s} type="button" className="button" onClick={() => void lookup(s)}>
                  {s}
                </button>
              ))}
            </div>
          )}
        </div>
      )}
      {story?.bag && (
        <Story
          story={story}
          onCode={(c) => void lookup(c)}
          canEditLinks={canEditLinks}
          onEdited={(sentence) => {
            void lookup(story.code).then(() => setDone(sentence));
          }}
          canReprint={canEditLinks}
        />
      )}
    </main>
  );
}

interface StoryProps {
  story: BagStory;
  onCode: (code: string) => void;
  canEditLinks: boolean;
  onEdited: (sentence: string) => void;
  /** A supervisor reprints a parent's label. */
  canReprint: boolean;
}

function Story({ story, onCode, canEditLinks, onEdited, canReprint }: StoryProps) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const bag = story.bag!;
  return (
    <div className="story" data-testid="story">
      <div className="story-head">
        <span className="story-code">{bag.code}</span>
        <span className="tag">{t(`kinds.${bag.kind}`)}</span>
        <span className="tag">{t('lookup.area', { area: bag.dispatchArea })}</span>
        {bag.kind === 'parent' && (
          <span className="tag">{t('lookup.children', { count: bag.childCount })}</span>
        )}
      </div>
      {story.parent && (
        <p className="big">
          {t('lookup.inParent')}{' '}
          <button type="button" className="link" onClick={() => onCode(story.parent!.code)}>
            {story.parent.code}
          </button>{' '}
          · {t('lookup.linkedBy', { user: story.parent.linkedBy, at: formatDateTime(story.parent.linkedAt) })}
          {canEditLinks && !editing && (
            <>
              {' '}
              <button
                type="button"
                className="button"
                data-testid="edit-child"
                onClick={() => setEditing(true)}
              >
                {t('childEdit.edit')}
              </button>
            </>
          )}
        </p>
      )}
      {story.parent && editing && (
        <ChildEdit
          child={bag.code}
          fromParent={story.parent.code}
          onCancel={() => setEditing(false)}
          onDone={(_change, sentence) => {
            setEditing(false);
            onEdited(sentence);
          }}
        />
      )}
      {story.bill && (
        <p className="big">
          {t('lookup.onBill', { billNo: story.bill.billNo, destination: story.bill.destination })} ·{' '}
          {t(`billStatus.${story.bill.status}`)}
        </p>
      )}
      {bag.kind === 'parent' && story.weight && <ParentWeightFacts weight={story.weight} />}
      {bag.kind === 'parent' && (
        <ParentLabels
          parent={bag.code}
          labels={story.labels ?? []}
          canReprint={canReprint}
          onReprinted={onEdited}
        />
      )}
      {story.children.length > 0 && (
        <Section title={t('lookup.childList', { count: story.children.length })}>
          <ul className="chips">
            {story.children.map((c) => (
              <li key={c.code}>
                <button type="button" className="chip" onClick={() => onCode(c.code)}>
                  {c.code}
                </button>
              </li>
            ))}
          </ul>
        </Section>
      )}
      <Section title={t('lookup.history')}>
        <table className="table">
          <thead>
            <tr>
              <th>{t('table.time')}</th>
              <th>{t('table.action')}</th>
              <th>{t('table.user')}</th>
              <th>{t('table.parent')}</th>
              <th>{t('table.bill')}</th>
            </tr>
          </thead>
          <tbody>
            {story.history.map((h) => (
              <tr key={h.id}>
                <td className="nowrap">{formatDateTime(h.at)}</td>
                <td>{t(`actions.${h.action}`, { defaultValue: h.action })}</td>
                <td>{h.username ?? '–'}</td>
                <td>{h.parentCode ?? '–'}</td>
                <td>{h.billNo ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </div>
  );
}
