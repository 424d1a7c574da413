/**
 * Every file format the station exports, in one place: the CLI's `export --format`, the API's format enums, the
 * screens' export buttons and the desktop save dialog all read this table. Adding a format is a row here, its
 * writer in src-main/export/, and its button label in the two language files. Pure data: imports nothing.
 */
export const exportFormats = [
  {
    id: 'csv',
    labelKey: 'export.csv',
    extension: 'csv',
    mimeType: 'text/csv; charset=utf-8',
    /** The save dialog's name for the file type. */
    dialogName: 'CSV',
    exports: ['bill', 'endOfDay'],
  },
  {
    id: 'xlsx',
    labelKey: 'export.xlsx',
    extension: 'xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    dialogName: 'Excel',
    exports: ['bill'],
  },
  {
    id: 'pdf',
    labelKey: 'export.pdf',
    extension: 'pdf',
    mimeType: 'application/pdf',
    dialogName: 'PDF',
    exports: ['bill', 'endOfDay'],
  },
] as const satisfies readonly ExportFormatEntry[];

/** What a format can export: a bill (its dispatch note) or the end-of-day report. */
export type ExportSubject = 'bill' | 'endOfDay';

export interface ExportFormatEntry {
  id: string;
  labelKey: `export.${string}`;
  extension: string;
  mimeType: string;
  dialogName: string;
  exports: readonly ExportSubject[];
}

type Entry = (typeof exportFormats)[number];
export type ExportFormat = Entry['id'];
/** The formats that export `S`, as a type: `FormatOf<'endOfDay'>` is 'csv' | 'pdf'. */
export type FormatOf<S extends ExportSubject> = IdIfExports<S, Entry>;
type IdIfExports<S, F> = F extends { id: infer I; exports: readonly (infer E)[] }
  ? S extends E
    ? I
    : never
  : never;

/** The formats that export `subject`, in the table's order; never empty (a zod enum needs one at least). */
export function formatsFor<S extends ExportSubject>(subject: S): readonly [FormatOf<S>, ...FormatOf<S>[]] {
  const ids = exportFormats
    .filter((f) => (f.exports as readonly ExportSubject[]).includes(subject))
    .map((f) => f.id);
  return ids as unknown as readonly [FormatOf<S>, ...FormatOf<S>[]];
}

export const billFormats = formatsFor('bill');
export const reportFormats = formatsFor('endOfDay');
export type BillFormat = FormatOf<'bill'>;
export type ReportFormat = FormatOf<'endOfDay'>;

/** The table's row for a format id. */
export function exportFormat(id: ExportFormat): Entry {
  return exportFormats.find((f) => f.id === id)!;
}

/** The row whose MIME type matches, parameters (`; charset=…`) and case aside: the save dialog's check. */
export function formatOfMimeType(mimeType: string): Entry | undefined {
  const bare = (type: string) => type.split(';')[0]!.trim().toLowerCase();
  return exportFormats.find((f) => bare(f.mimeType) === bare(mimeType));
}

/** What the API answers: the file for a save dialog or a browser download. */
export interface ExportFile {
  fileName: string;
  mimeType: string;
  dataBase64: string;
}
