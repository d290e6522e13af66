/** What `seedDemo` reports while it runs; the CLI turns it into a progress bar or plain lines. */
export interface SeedObserver {
  /** The plan is drawn: this many rows will be written in all. */
  planned(totalRows: number): void;
  /** A step began for one dataset ("schema", "load users", …), or for both when `database` is "". */
  stage(database: string, stage: string): void;
  /** `rows` more rows were sent to a database. */
  rows(rows: number): void;
  /** A table finished loading. */
  loaded(database: string, table: string, rows: number, ms: number): void;
}

export const SILENT_OBSERVER: SeedObserver = { planned() {}, stage() {}, rows() {}, loaded() {} };

/** The row count of one loaded table, as the database reported it. */
export interface LoadedTable {
  /** The dataset: learning_app or learning_analytics. */
  readonly database: string;
  readonly table: string;
  readonly rows: number;
}
