import { useEffect, useRef } from 'react';
import type { HubError } from '../api';
import type { SettableRule } from '../types';

/** The rules a Hub member may set aside, in words (the API's `reason` codes stay in the error message). */
export const RULE_WORDS: Record<SettableRule, string> = {
  too_soon: 'the minimum notice (the time has started or passed)',
  beyond_horizon: 'the booking horizon',
  not_on_slot_grid: 'the start-time grid',
  outside_working_hours: 'working hours',
  staff_time_off: 'time off',
  location_closed: 'the closure',
};
export const ruleList = (rules: readonly SettableRule[]) => rules.map((r) => RULE_WORDS[r]).join(', ');

/** The rule a `409 slot_unavailable` names, when a Hub member may set it aside (an overlap never). */
export function settableRule(error: HubError | null): SettableRule | null {
  const reason = error?.code === 'slot_unavailable' ? error.body.reason : undefined;
  return (Object.keys(RULE_WORDS) as SettableRule[]).find((r) => r === reason) ?? null;
}

/**
 * "Book anyway": after a refusal for a rule a walk-in may break (issue 12.1), the button that tries again
 * with that rule (and any set aside before) knowingly set aside. Focus goes to it, so the keyboard path is
 * Book → Enter again.
 */
export function SetAsideOffer({ error, already, verb, busy, onAccept }: {
  error: HubError | null; already: SettableRule[]; verb: 'Book' | 'Move'; busy: boolean; onAccept: (rules: SettableRule[]) => void;
}) {
  const rule = settableRule(error);
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => { if (rule) ref.current?.focus(); }, [rule, error]);
  if (!rule || already.includes(rule)) return null;
  const rules = [...already, rule];
  return (
    <div className="set-aside">
      <button type="button" ref={ref} className="secondary" disabled={busy} onClick={() => onAccept(rules)}>
        {verb} anyway, setting aside {ruleList(rules)}
      </button>
    </div>
  );
}
