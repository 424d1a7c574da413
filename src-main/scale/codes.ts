import { scaleRefusalMessages } from '../../src-shared/scale-text.ts';

/**
 * The scale's sentences, keyed by code like src-shared/errors.ts; the refusals are shared with the screens
 * (src-shared/scale-text.ts). The keys and {placeholders} are meant to be kept as they are.
 */
export const scaleMessages = {
  // refusals of waitForStable: why no weight was taken (shared with the screens)
  ...scaleRefusalMessages,
  // the port, as the scale's status shows it
  scale_port_busy: 'The scale on {path} is busy: close the other program that uses it.',
  scale_permission_denied:
    'Permission denied on {path}: add this user to the dialout group (sudo usermod -aG dialout $USER) and log in again.',
  scale_open_failed:
    'The scale on {path} could not be opened ({detail}): check the cable and the port settings.',
  scale_connection_lost:
    'The scale on {path} stopped answering ({detail}): check the cable; the station reconnects by itself.',
  // the ASCII line pattern (settings)
  scale_pattern_field_unknown:
    'The scale pattern {pattern} has the field {field}, which is not known: use {status}, {sign}, {value}, {unit} and {any}.',
  scale_pattern_malformed:
    'The scale pattern {pattern} cannot be read at character {position}: write fields in braces, for example {example}.',
  scale_pattern_no_value:
    'The scale pattern {pattern} has no {value} field: a pattern says where the weight is, for example {example}.',
  scale_pattern_field_twice: 'The scale pattern {pattern} has the field {field} twice: give each field once.',
  scale_pattern_ambiguous:
    'In the scale pattern {pattern}, {field} follows {previous} directly and cannot be told apart from it: put the separator the scale sends between them, for example {example}.',
  // the scale simulator
  scale_sim_bad_option: 'The value {value} for --{flag} is not valid: use {expected}.',
} as const;

export type ScaleMessageCode = keyof typeof scaleMessages;
export type ScaleParams = Record<string, string | number>;

/** Why waitForStable took no weight. */
export type ScaleRefusalCode = Extract<
  ScaleMessageCode,
  | 'scale_unstable_timeout'
  | 'scale_out_of_range'
  | 'scale_overload'
  | 'scale_underload'
  | 'scale_error'
  | 'scale_unplugged'
  | 'scale_timeout'
  | 'scale_no_bag'
  | 'scale_not_emptied'
  | 'scale_cancelled'
>;

/** Why the scale's port is not ready, when it is not. */
export type ScalePortProblem = Extract<
  ScaleMessageCode,
  | 'scale_unplugged'
  | 'scale_port_busy'
  | 'scale_permission_denied'
  | 'scale_open_failed'
  | 'scale_connection_lost'
>;

export function scaleMessage(code: ScaleMessageCode, params: ScaleParams = {}): string {
  return scaleMessages[code].replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params ? String(params[key]) : whole,
  );
}

/** A sentence's code and values, kept apart so the screens can say it in another language. */
export interface ScaleProblem<Code extends ScaleMessageCode = ScaleMessageCode> {
  code: Code;
  params: ScaleParams;
}
