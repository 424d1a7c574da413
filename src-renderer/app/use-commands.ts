import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../src-shared/users.ts';
import { changeFlash, refusedFlash } from '../feedback/feedback.ts';
import type { Feedback } from '../feedback/use-feedback.ts';
import { useErrorText } from '../i18n/error-text.ts';
import { commandCodes, type Command } from '../../src-shared/commands.ts';
import type { ScreenId } from './screens.ts';
import { hasRole, useClient } from './station-context.tsx';
import { changeOnce } from './change-once.ts';

interface Options {
  session: SessionInfo | null | undefined;
  feedback: Feedback;
  showScreen: (screen: ScreenId) => void;
  /** After a change the screens did not see as a scan result (undo, complete): read the state again. */
  onChanged: () => void;
}

/**
 * Printed command barcodes from either scanner, and the scan screen's buttons: each change gets its own flash
 * and sound (in every tab of the station) and makes the screen read the station again, so the count on screen
 * is the count on disk.
 */
export function useCommands({ session, feedback, showScreen, onChanged }: Options) {
  const client = useClient();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const role = session?.operator.role;

  // Undo and complete: they change the station, so each runs once however it is asked twice at once.
  const change = useCallback(
    async (command: 'undo' | 'completeParent') => {
      const code = commandCodes[command];
      if (command === 'undo') {
        const answer = await client.call('scan.undoLast', {});
        onChanged();
        if (!answer.ok) return feedback.share(refusedFlash(code, errorText(answer.error)));
        const { child, fromParent, parentChildCount } = answer.value;
        const state = await client.call('scan.state', { limit: 1 });
        const capacity = state.ok ? (state.value.activeParent?.capacity ?? 0) : 0;
        const values = { child, parent: fromParent, count: parentChildCount, capacity };
        const count = capacity ? { count: parentChildCount, capacity } : undefined;
        return feedback.share(changeFlash('undo', child, t('floor.undoneText', values), count));
      }
      const answer = await client.call('scan.closeParent', {});
      onChanged();
      if (!answer.ok) return feedback.share(refusedFlash(code, errorText(answer.error)));
      if (!answer.value.closed) return feedback.share(refusedFlash(code, t('floor.nothingToComplete')));
      const parent = answer.value.closed;
      feedback.share(changeFlash('complete', parent, t('floor.completedText', { parent })));
    },
    [client, feedback, t, errorText, onChanged],
  );

  return useCallback(
    async (command: Command) => {
      const code = commandCodes[command];
      if (command === 'ack') return feedback.acknowledge();
      if (!session) return feedback.share(refusedFlash(code, t('errors.not_logged_in')));
      if (command === 'logout') return void (await client.call('auth.logout', {}));
      if (command === 'newBill') {
        if (hasRole(role, 'supervisor')) return showScreen('bills');
        const message = t('floor.commandNotForRole', { role: t('roles.supervisor') });
        return feedback.share(refusedFlash(code, message));
      }
      await changeOnce(command, () => change(command));
    },
    [client, feedback, session, role, t, showScreen, change],
  );
}
