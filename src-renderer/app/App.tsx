import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../src-shared/users.ts';
import type { ScanResult } from '../../src-shared/domain.ts';
import { FlashLayer } from '../feedback/FlashLayer.tsx';
import { flashOfScan, notSavedFlash, refusedFlash, unconfirmedFlash } from '../feedback/feedback.ts';
import { FlashContext, type FlashActions } from '../feedback/flash-context.ts';
import { useFeedback } from '../feedback/use-feedback.ts';
import { useErrorText } from '../i18n/error-text.ts';
import { commandOf } from '../../src-shared/commands.ts';
import { submitRead } from '../scan/submit.ts';
import { useWedge } from '../scan/use-wedge.ts';
import { FirstAdminScreen } from '../screens/FirstAdminScreen.tsx';
import { LoginScreen } from '../screens/LoginScreen.tsx';
import { Header } from './Header.tsx';
import { LinkBanner } from './LinkBanner.tsx';
import { useLink } from './use-link.ts';
import { ScreenView } from './ScreenView.tsx';
import { ScanTargetContext, type ScanTarget } from './scan-target.ts';
import { screens, type ScreenId } from './screens.ts';
import { hasRole, useClient, useEvent } from './station-context.tsx';
import { useScanText } from './scan-text.ts';
import { useCommands } from './use-commands.ts';
import { claimOnce } from './claim-once.ts';
import { useWeighing } from '../weighing/use-weighing.ts';
import { useWeightFlash } from '../weighing/use-weight-flash.ts';
import { WeightAck } from '../weighing/WeightAck.tsx';
import { BadgeTakerContext, type BadgeTaker } from '../weighing/badge-taker.ts';

/** The shell: session, the screen on show, the flash, and where every scan goes. */
export function App() {
  const client = useClient();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const scanText = useScanText();
  // Bumped after a change that is not a scan result (undo, complete): the scan screen reads the state again.
  const [changes, setChanges] = useState(0);
  const onChanged = useCallback(() => setChanges((n) => n + 1), []);
  const feedback = useFeedback(onChanged);
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const [screen, setScreen] = useState<ScreenId>('scan');
  const [notice, setNotice] = useState<string | null>(null);
  // Unknown until the station says: a new station must not show the login for a moment before its real screen.
  const [firstRun, setFirstRun] = useState<boolean | undefined>(undefined);
  const target = useRef<ScanTarget | null>(null);
  const badgeTaker = useRef<BadgeTaker | null>(null);
  const role = session?.operator.role;
  const link = useLink();

  // Which read of the session is the newest: a slow answer to an older read (over HTTP while the socket was
  // opening) must not bring back a person an event or a newer read has since logged out.
  const sessionReads = useRef(0);
  // At start and each time the station comes back: a restart ends the session, and the page must say so.
  useEffect(() => {
    if (link !== 'up') return;
    const read = ++sessionReads.current;
    void client.call('auth.whoami', {}).then((answer) => {
      if (read !== sessionReads.current) return;
      if (answer.ok || answer.error.code !== 'offline') setSession(answer.ok ? answer.value : null);
    });
    void client.call('setup.state', {}).then((answer) => setFirstRun(answer.ok && answer.value.firstAdmin));
    // Reads the station saved while this page could not hear it: the scan screen reads its state again.
    onChanged();
  }, [client, link, onChanged]);
  useEvent('onSession', (info) => {
    sessionReads.current++;
    setSession(info);
    // The screens read again for the new person: a logout and the next login can land in one render, and the
    // scan screen must not keep showing the last operator's reads as this one's.
    onChanged();
    // A notice belongs to the person who caused it: a log-out or a new login ends it.
    setNotice(null);
    if (info) setFirstRun(false);
  });

  const showScreen = useCallback((next: ScreenId) => {
    setNotice(null);
    setScreen(next);
  }, []);

  const allowed = useMemo(() => screens.filter((s) => hasRole(role, s.role)), [role]);
  useEffect(() => {
    if (!allowed.some((s) => s.id === screen)) setScreen('scan');
  }, [allowed, screen]);

  const runCommand = useCommands({ session, feedback, showScreen, onChanged });
  // A parent whose weight is off: the orange flash on every screen until a supervisor acknowledges it.
  const weighing = useWeighing();
  useWeightFlash(weighing, !!session, feedback);

  useEvent('onScanResult', (result: ScanResult) => {
    const command = commandOf(result.code || result.raw);
    // Every tab hears a serial read: the command runs in one of them, its flash shows in all. A command the
    // station took for a double read runs no more: it shows as read twice, like any double read.
    if (command && result.outcome !== 'double_read')
      return claimOnce(result.scanId, () => runCommand(command));
    if (!session) return;
    // A supervisor's badge read on the serial scanner for the weight acknowledgement: no bag, no red flash.
    if (badgeTaker.current && result.outcome === 'rejected')
      return badgeTaker.current(result.code || result.raw);
    setNotice(null);
    feedback.show(flashOfScan(result, scanText(result)));
  });

  const flashActions = useMemo<FlashActions>(
    () => ({
      billAdd(code, error) {
        const id = `bill-${Date.now()}`;
        const sound = error?.code === 'bill_full' ? 'billFull' : error ? 'error' : 'ok';
        const title =
          error?.code === 'bill_full' ? 'flash.billFull' : error ? 'flash.refused' : 'flash.billAdded';
        const kind = error ? 'error' : 'ok';
        const icon = error ? 'error' : 'ok';
        feedback.show({ id, kind, icon, sound, title, code, message: errorText(error), sticky: !!error });
      },
      readNotTaken(code, error) {
        if (!error) return feedback.show(notSavedFlash(code, t('outage.notSaved')));
        feedback.show(
          error.code === 'offline'
            ? unconfirmedFlash(code, t('outage.unconfirmed'))
            : refusedFlash(code, errorText(error)),
        );
      },
    }),
    [feedback, errorText, t],
  );

  const onWedgeScan = (code: string, kept: boolean) => {
    const command = commandOf(code);
    if (command === 'ack') return feedback.acknowledge();
    if (link !== 'up') return feedback.show(notSavedFlash(code, t('outage.notSaved')));
    if (command) return void runCommand(command);
    if (target.current) return target.current(code, kept);
    if (session) void submitRead(client, code, 'keyboard', flashActions.readNotTaken);
  };
  const onWedgeShort = (short: string) => {
    if (link !== 'up') return feedback.show(notSavedFlash(short, t('outage.notSaved')));
    // A bad read from the keyboard scanner: recorded and refused by the station like any other read.
    if (session && !target.current)
      return void submitRead(client, short, 'keyboard', flashActions.readNotTaken);
    feedback.show(refusedFlash(short, t('errors.code_too_short', { min: 4 })));
  };
  const loading = session === undefined || (session === null && firstRun === undefined && link === 'up');
  // Reads typed while the page is still loading (its socket opening, who is logged in not yet known) are kept
  // and handled once it knows, so a scan is never dropped without a word. Not while the link is down: the red
  // band already says nothing is saved, and a read must not be saved after the worker was told it was not.
  const early = useRef<Array<{ code: string; kept: boolean; short: boolean }>>([]);
  const wedge = useRef({ scan: onWedgeScan, short: onWedgeShort });
  wedge.current = { scan: onWedgeScan, short: onWedgeShort };
  useWedge(
    (code, kept) => {
      if (!loading) return onWedgeScan(code, kept);
      if (link === 'up') early.current.push({ code, kept, short: false });
    },
    (short) => {
      if (!loading) return onWedgeShort(short);
      if (link === 'up') early.current.push({ code: short, kept: false, short: true });
    },
  );
  useEffect(() => {
    if (loading) return;
    for (const read of early.current.splice(0)) {
      if (read.short) wedge.current.short(read.code);
      else wedge.current.scan(read.code, read.kept);
    }
  }, [loading]);

  if (loading) {
    return (
      <>
        <LinkBanner link={link} />
        <main className="loading">{t('common.loading')}</main>
      </>
    );
  }
  return (
    <BadgeTakerContext.Provider value={badgeTaker}>
      <ScanTargetContext.Provider value={target}>
        <FlashContext.Provider value={flashActions}>
          <div className={`app ${session ? 'app-in' : 'app-out'}`}>
            <Header session={session} screens={allowed} screen={screen} onScreen={showScreen} link={link} />
            <LinkBanner link={link} />
            {session ? (
              <ScreenView
                screen={screen}
                role={session.operator.role}
                notice={notice}
                onNotice={setNotice}
                onScreen={showScreen}
                changes={changes}
                onCommand={runCommand}
              />
            ) : firstRun ? (
              <FirstAdminScreen onTaken={() => setFirstRun(false)} />
            ) : (
              <LoginScreen />
            )}
            <FlashLayer
              flash={feedback.current}
              visible={feedback.visible}
              waiting={feedback.waiting}
              onAcknowledge={feedback.acknowledge}
              supervisorAck={
                feedback.current?.parentCode && (
                  <WeightAck
                    key={feedback.current.id}
                    parent={feedback.current.parentCode}
                    role={role}
                    onDone={() => feedback.current && feedback.dismiss(feedback.current.id)}
                  />
                )
              }
            />
          </div>
        </FlashContext.Provider>
      </ScanTargetContext.Provider>
    </BadgeTakerContext.Provider>
  );
}
