import { useEffect, useState } from 'react';
import { ConfirmDialog } from './ui';

/**
 * Unsaved edits are not dropped silently: a form with edits registers a guard (`useLeaveGuard`), and
 * leaving it (a link, Back, a "Cancel" button, closing the tab) asks first. The question is one dialog,
 * drawn by <LeaveGuardHost/> once in the app.
 */
const guards = new Set<{ what: string }>();
let ask: ((what: string, proceed: () => void) => void) | null = null;

const beforeUnload = (e: BeforeUnloadEvent) => { e.preventDefault(); e.returnValue = ''; };

/** While `dirty`, leaving this form asks first. `what` names it in the question ("the location"). */
export function useLeaveGuard(dirty: boolean, what: string): void {
  useEffect(() => {
    if (!dirty) return;
    const guard = { what };
    guards.add(guard);
    if (guards.size === 1) window.addEventListener('beforeunload', beforeUnload);
    return () => {
      guards.delete(guard);
      if (guards.size === 0) window.removeEventListener('beforeunload', beforeUnload);
    };
  }, [dirty, what]);
}

/**
 * Runs `proceed` at once when nothing is being edited; otherwise calls `blocked` (to undo what the browser
 * already did, e.g. Back) and asks. "Leave without saving" drops the guards and proceeds.
 */
export function confirmLeave(proceed: () => void, blocked?: () => void): void {
  const first = guards.values().next().value;
  if (!first || !ask) { proceed(); return; }
  blocked?.();
  ask(first.what, () => {
    guards.clear();
    window.removeEventListener('beforeunload', beforeUnload);
    proceed();
  });
}

export function LeaveGuardHost() {
  const [pending, setPending] = useState<{ what: string; proceed: () => void } | null>(null);
  useEffect(() => {
    ask = (what, proceed) => setPending({ what, proceed });
    return () => { ask = null; };
  }, []);
  if (!pending) return null;
  return (
    <ConfirmDialog title="Leave without saving?" confirmLabel="Leave without saving" cancelLabel="Keep editing" danger
      onConfirm={() => { setPending(null); pending.proceed(); }} onCancel={() => setPending(null)}>
      <p>Your changes to {pending.what} have not been saved. They will be lost if you leave.</p>
    </ConfirmDialog>
  );
}
