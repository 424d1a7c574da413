/**
 * The printer's sentences, keyed by code like src-shared/errors.ts. They stay here only while core/ is being refactored:
 * the lead moves them into the one catalogue (and the Hindi one) when wiring the printer in; the codes stay.
 */
export const printerMessages = {
  label_code_not_ascii:
    'The parent code {code} has the character {char}, which a label barcode cannot carry: only printable ASCII.',
  label_code_too_long:
    'The parent code {code} is too long for a Code 128 barcode on a {layout} label: use the 100 x 150 mm layout.',
  printer_unreachable:
    'The label printer {target} cannot be reached ({detail}): check that it is on and its cable or network; waiting labels print by themselves.',
  printer_write_failed:
    'The label printer {target} stopped taking data ({detail}): check it; the label is sent again, so it may print twice.',
  printer_paper_out:
    'The label printer {target} is out of labels: load a new roll; waiting labels print by themselves.',
  printer_ribbon_out:
    'The label printer {target} is out of ribbon: load a new ribbon; waiting labels print by themselves.',
  printer_head_open:
    'The label printer {target} has its print head open: close it; waiting labels print by themselves.',
  printer_paused:
    'The label printer {target} is paused: press its pause button; waiting labels print by themselves.',
  printer_over_temperature:
    'The label printer {target} is too hot and has stopped: let it cool down; waiting labels print by themselves.',
  printer_buffer_full:
    'The label printer {target} has a full buffer: wait a moment; waiting labels print by themselves.',
  printer_no_answer:
    'The label printer {target} took the label but does not report its status: check that the label came out.',
  printer_write_unconfirmed:
    'The label printer {target} dropped the connection while taking the label, twice ({detail}): it may have printed; check that the label came out, and reprint it from look-up if not.',
  printer_problem_after_label:
    'The label printer {target} reported {detail} right after taking the label: it may not have printed whole. Fix the printer, check the label, and reprint it from look-up if it is missing or cut.',
  label_unprintable:
    'The label of {parent} cannot be made ({detail}): write the code on the bag by hand, or change the label layout in the settings and reprint it from look-up.',
  print_job_not_found: 'There is no print job {id}.',
  printer_gave_up:
    'The label for {parent} was not printed after {attempts} tries ({reason}): fix the printer, then reprint it from look-up.',
} as const;

export type PrinterMessageCode = keyof typeof printerMessages;

export function printerMessage(
  code: PrinterMessageCode,
  params: Record<string, string | number> = {},
): string {
  return printerMessages[code].replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? `{${key}}`));
}

export interface PrinterError {
  code: PrinterMessageCode;
  message: string;
  params: Record<string, string | number>;
}

/** Same shape as src-shared/result.ts's Result, with the printer's codes until they join the catalogue. */
export type PrinterResult<T> = { ok: true; value: T } | { ok: false; error: PrinterError };

export function printerError(
  code: PrinterMessageCode,
  params: Record<string, string | number> = {},
): PrinterError {
  return { code, message: printerMessage(code, params), params };
}
