import {
  LibsqlError,
  type Client,
  type InArgs,
  type InStatement,
  type InValue,
  type Replicated,
  type ResultSet,
  type Row,
  type Transaction,
  type TransactionMode,
  type Value,
} from '@libsql/client';
import Database from 'libsql';

// A libSQL client for the Node host over the native `libsql` binding, the
// one @libsql/client's file driver wraps. It keeps @libsql/client's Client
// contract (drizzle's libsql driver runs on it unchanged) and drops what
// made that driver cost ten times what SQLite does per statement: every
// statement prepared afresh, its columns read twice, two defineProperty
// calls per value. Here a statement is prepared once and kept (LRU), its
// columns are read once, and a row is one object built by a constructor
// made for that statement.
//
// Semantics follow @libsql/client 0.15's sqlite3 driver (intMode "number"):
// the same argument conversions, rows readable by index and by column name,
// rowsAffected 0 and no lastInsertRowid for statements that return rows, and
// LibsqlError with SQLite's extended code (SQLITE_CONSTRAINT_UNIQUE, ...).
// test/api/native-client.test.ts holds the two side by side.

export type NativeClientOptions = {
  // A file: URL, as @libsql/client takes it: file:relative.db, file:/abs.db,
  // file:///abs.db.
  url: string;
  // How long a statement waits for another connection's write lock before
  // failing with SQLITE_BUSY.
  busyTimeoutMs?: number;
  // Prepared statements kept per connection; the least recently used goes.
  statementCacheSize?: number;
  // PRAGMA settings (without the word) run on every connection it opens.
  pragmas?: readonly string[];
};

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
const LOCK_RETRY_MS = { first: 1, most: 8 };
const DEFAULT_STATEMENT_CACHE_SIZE = 500;

type NativeStatement = Database.Statement<unknown[]>;
type RowConstructor = new (values: Value[]) => Row;

type Prepared = {
  stmt: NativeStatement;
  // Returns rows (a SELECT, or a write with RETURNING).
  reader: boolean;
  // A plain SELECT: it can run beside another connection's write.
  readOnly: boolean;
  // DDL: the columns of statements already kept may change.
  changesSchema: boolean;
  columns: string[];
  columnTypes: string[];
  Row: RowConstructor | null;
};

// The values behind a row's indices; a symbol, so Object.keys(row) and
// JSON.stringify(row) see column names only.
const VALUES = Symbol('values');

export function createNativeClient(options: NativeClientOptions): Client {
  return new NativeClient(filePath(options.url), {
    busyTimeoutMs: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
    statementCacheSize: options.statementCacheSize ?? DEFAULT_STATEMENT_CACHE_SIZE,
    pragmas: options.pragmas ?? [],
  });
}

type Settings = { busyTimeoutMs: number; statementCacheSize: number; pragmas: readonly string[] };

class NativeClient implements Client {
  closed = false;
  readonly protocol = 'file';
  #connection: Connection;
  // The interactive write transaction open on its own connection, if any.
  // Writes on the main connection wait for it here rather than in SQLite's
  // busy handler, which would block the one thread the transaction needs to
  // finish.
  #writer: Promise<void> | null = null;

  constructor(
    private readonly path: string,
    private readonly settings: Settings,
  ) {
    this.#connection = new Connection(path, settings, { busyHandler: false });
  }

  async execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    this.#checkOpen();
    const stmt = typeof stmtOrSql === 'string' ? { sql: stmtOrSql, args } : stmtOrSql;
    // Preparing reads the schema, which can meet a lock too.
    const prepared = () => this.#connection.prepare(stmt.sql);
    if (this.#writer && !(await this.#whileLocked(prepared)).readOnly) await this.#waitForWriter();
    return this.#whileLocked(() => this.#connection.run(prepared(), stmt.args));
  }

  // Atomic, as @libsql/client's. A batch that writes takes the write lock
  // up front (BEGIN IMMEDIATE), even in the "deferred" mode drizzle asks
  // for: in WAL mode a deferred transaction that read first and then writes
  // fails with SQLITE_BUSY at once, without waiting, when another process
  // wrote in between (sqlite.org/wal.html#concurrency,
  // sqlite.org/lang_transaction.html). A batch of plain SELECTs reads one
  // snapshot and never needs the lock.
  async batch(stmts: Array<InStatement | [string, InArgs?]>, mode: TransactionMode = 'deferred'): Promise<ResultSet[]> {
    this.#checkOpen();
    const statements = stmts.map((s) => (Array.isArray(s) ? { sql: s[0], args: s[1] ?? [] } : s));
    const reads = () => mode === 'read' || statements.every((s) => this.#connection.prepare(typeof s === 'string' ? s : s.sql).readOnly);
    if (this.#writer && !(await this.#whileLocked(reads))) await this.#waitForWriter();
    return this.#whileLocked(() => this.#connection.inTransaction(beginFor(mode === 'read' ? 'read' : reads() ? 'deferred' : 'write'), statements));
  }

  // drizzle's migrator: foreign keys off while tables are rebuilt, as
  // @libsql/client does.
  async migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    this.#checkOpen();
    if (this.#writer) await this.#waitForWriter();
    const connection = this.#connection;
    connection.exec('PRAGMA foreign_keys=off');
    try {
      return await this.#whileLocked(() => connection.inTransaction(beginFor('write'), stmts));
    } finally {
      connection.exec('PRAGMA foreign_keys=on');
      connection.forgetStatements();
    }
  }

  async executeMultiple(sql: string): Promise<void> {
    this.#checkOpen();
    if (this.#writer) await this.#waitForWriter();
    const connection = this.#connection;
    // Statement by statement, not atomic, so not to be run again: it waits
    // for a lock in SQLite's busy handler, as @libsql/client does.
    connection.exec(`PRAGMA busy_timeout = ${this.settings.busyTimeoutMs}`);
    try {
      connection.exec(sql);
    } finally {
      connection.exec('PRAGMA busy_timeout = 0');
      connection.rollbackIfOpen();
      connection.forgetStatements();
    }
  }

  // A transaction gets a connection of its own, as in @libsql/client, and
  // closes it when it ends. Write transactions in this process take turns.
  async transaction(mode: TransactionMode = 'write'): Promise<Transaction> {
    this.#checkOpen();
    const writes = mode !== 'read';
    if (writes && this.#writer) await this.#waitForWriter();
    const connection = new Connection(this.path, this.settings);
    let resolveEnded!: () => void;
    const ended = new Promise<void>((resolve) => (resolveEnded = resolve));
    const end = () => {
      if (this.#writer === ended) this.#writer = null;
      resolveEnded();
    };
    if (writes) this.#writer = ended;
    try {
      connection.exec(beginFor(mode));
    } catch (error) {
      connection.close();
      end();
      throw error;
    }
    return new NativeTransaction(connection, end);
  }

  async sync(): Promise<Replicated> {
    throw new LibsqlError('sync() is for embedded replicas; this client opens a local file', 'SYNC_NOT_SUPPORTED');
  }

  async reconnect(): Promise<void> {
    if (!this.closed) this.#connection.close();
    this.#connection = new Connection(this.path, this.settings, { busyHandler: false });
    this.closed = false;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.#connection.close();
  }

  #checkOpen() {
    if (this.closed) throw new LibsqlError('The client is closed', 'CLIENT_CLOSED');
  }

  // A lock held by another connection (another process, the webhook
  // writer's thread) is waited for here, between turns of the event loop:
  // SQLite's busy handler would sleep in this thread, holding every request
  // of the process behind one write for up to the busy timeout. A statement
  // or batch that met the lock did nothing (a batch rolls back whole), so
  // it runs again until the busy timeout: after 1 ms, then twice as long
  // each time up to 8 ms (each try that fails costs CPU; the webhook
  // writer's commits hold the lock for a few ms).
  async #whileLocked<T>(run: () => T): Promise<T> {
    const deadline = Date.now() + this.settings.busyTimeoutMs;
    for (let wait = LOCK_RETRY_MS.first; ; wait = Math.min(wait * 2, LOCK_RETRY_MS.most)) {
      try {
        return run();
      } catch (error) {
        if (!isBusy(error) || Date.now() >= deadline) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
      this.#checkOpen();
    }
  }

  // Waits, up to the busy timeout, until no write transaction is open (the
  // next may have begun by the time this one's end is seen); then fails the
  // way SQLite would have.
  async #waitForWriter(): Promise<void> {
    const deadline = Date.now() + this.settings.busyTimeoutMs;
    while (this.#writer) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), deadline - Date.now())));
      const outcome = await Promise.race([this.#writer, timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        throw new LibsqlError('database is locked (a write transaction is open in this process)', 'SQLITE_BUSY', 5);
      }
    }
  }
}

class NativeTransaction implements Transaction {
  #ended = false;

  constructor(
    private readonly connection: Connection,
    private readonly onEnd: () => void,
  ) {}

  get closed(): boolean {
    return this.#ended || !this.connection.db.inTransaction;
  }

  async execute(stmt: InStatement): Promise<ResultSet> {
    this.#checkOpen();
    return this.connection.runStatement(stmt);
  }

  async batch(stmts: InStatement[]): Promise<ResultSet[]> {
    return stmts.map((stmt) => {
      this.#checkOpen();
      return this.connection.runStatement(stmt);
    });
  }

  async executeMultiple(sql: string): Promise<void> {
    this.#checkOpen();
    this.connection.exec(sql);
  }

  async commit(): Promise<void> {
    this.#checkOpen();
    try {
      this.connection.exec('COMMIT');
    } finally {
      this.#end();
    }
  }

  async rollback(): Promise<void> {
    if (this.#ended) return;
    this.#end();
  }

  close(): void {
    this.#end();
  }

  #end() {
    if (this.#ended) return;
    this.#ended = true;
    try {
      this.connection.rollbackIfOpen();
    } finally {
      this.connection.close();
      this.onEnd();
    }
  }

  #checkOpen() {
    if (this.closed) throw new LibsqlError('The transaction is closed', 'TRANSACTION_CLOSED');
  }
}

// One native connection and its prepared statements.
class Connection {
  readonly db: Database.Database;
  readonly #statements = new Map<string, Prepared>();
  readonly #cacheSize: number;

  // busyHandler false: once open, a statement meeting a lock fails at once
  // with SQLITE_BUSY (the client waits, NativeClient.#whileLocked).
  constructor(path: string, settings: Settings, { busyHandler = true } = {}) {
    this.#cacheSize = settings.statementCacheSize;
    try {
      this.db = new Database(path, { timeout: settings.busyTimeoutMs });
      // Opening is lazy; a database that cannot be opened says so here.
      this.db.prepare('SELECT 1').raw(true).get();
      for (const pragma of settings.pragmas) this.db.exec(`PRAGMA ${pragma}`);
      if (!busyHandler) this.db.exec('PRAGMA busy_timeout = 0');
    } catch (error) {
      throw toLibsqlError(error);
    }
  }

  prepare(sql: string): Prepared {
    const statements = this.#statements;
    const cached = statements.get(sql);
    if (cached !== undefined) {
      // Map keeps insertion order: re-inserting marks it most recently used.
      statements.delete(sql);
      statements.set(sql, cached);
      return cached;
    }
    let stmt: NativeStatement;
    try {
      stmt = this.db.prepare(sql);
    } catch (error) {
      throw toLibsqlError(error);
    }
    const prepared: Prepared = {
      stmt,
      reader: stmt.reader,
      readOnly: stmt.reader && /^\s*select\b/i.test(sql),
      changesSchema: /^\s*(create|alter|drop)\b/i.test(sql),
      columns: [],
      columnTypes: [],
      Row: null,
    };
    if (prepared.reader) {
      stmt.raw(true);
      stmt.safeIntegers(true);
      describe(prepared);
    }
    statements.set(sql, prepared);
    if (statements.size > this.#cacheSize) statements.delete(statements.keys().next().value!);
    return prepared;
  }

  run(prepared: Prepared, args: InArgs | undefined): ResultSet {
    const bound = toSqlArgs(args);
    try {
      if (!prepared.reader) {
        const info = prepared.stmt.run(bound);
        if (prepared.changesSchema) this.forgetStatements();
        return new NativeResultSet([], [], [], info.changes, BigInt(info.lastInsertRowid));
      }
      const raw = prepared.stmt.all(bound) as Value[][];
      // SQLite re-prepares a statement whose tables another connection
      // altered; a `select *` then returns a different number of columns.
      if (raw.length > 0 && raw[0]!.length !== prepared.columns.length) describe(prepared);
      const rows: Row[] = new Array(raw.length);
      const Row = prepared.Row!;
      for (let i = 0; i < raw.length; i++) rows[i] = new Row(fromSqlValues(raw[i]!));
      return new NativeResultSet(prepared.columns.slice(), prepared.columnTypes.slice(), rows, 0, undefined);
    } catch (error) {
      throw toLibsqlError(error);
    }
  }

  runStatement(stmt: InStatement): ResultSet {
    return typeof stmt === 'string' ? this.run(this.prepare(stmt), []) : this.run(this.prepare(stmt.sql), stmt.args);
  }

  // BEGIN, every statement, COMMIT; on any failure, ROLLBACK and rethrow.
  inTransaction(begin: string, stmts: InStatement[]): ResultSet[] {
    this.exec(begin);
    try {
      const results = stmts.map((stmt) => {
        // A statement in the batch may itself have ended the transaction.
        if (!this.db.inTransaction) throw new LibsqlError('The transaction has been rolled back', 'TRANSACTION_CLOSED');
        return this.runStatement(stmt);
      });
      this.exec('COMMIT');
      return results;
    } finally {
      this.rollbackIfOpen();
    }
  }

  exec(sql: string): void {
    try {
      this.db.exec(sql);
    } catch (error) {
      throw toLibsqlError(error);
    }
  }

  rollbackIfOpen(): void {
    if (this.db.open && this.db.inTransaction) this.exec('ROLLBACK');
  }

  // After a schema change a kept statement's column list may be stale.
  forgetStatements(): void {
    this.#statements.clear();
  }

  close(): void {
    this.#statements.clear();
    if (this.db.open) this.db.close();
  }
}

// Column names and types are read from the statement once, not per run.
function describe(prepared: Prepared): void {
  const described = prepared.stmt.columns();
  prepared.columns = described.map((c) => c.name);
  prepared.columnTypes = described.map((c) => c.type ?? '');
  prepared.Row = rowConstructor(prepared.columns);
}

function beginFor(mode: TransactionMode): string {
  if (mode === 'read') return 'BEGIN TRANSACTION READONLY';
  if (mode === 'deferred') return 'BEGIN DEFERRED';
  return 'BEGIN IMMEDIATE';
}

class NativeResultSet implements ResultSet {
  constructor(
    public columns: string[],
    public columnTypes: string[],
    public rows: Row[],
    public rowsAffected: number,
    public lastInsertRowid: bigint | undefined,
  ) {}

  toJSON() {
    return {
      columns: this.columns,
      columnTypes: this.columnTypes,
      rows: this.rows.map((row) => Array.prototype.map.call(row, valueToJson)),
      rowsAffected: this.rowsAffected,
      lastInsertRowid: this.lastInsertRowid === undefined ? null : String(this.lastInsertRowid),
    };
  }
}

function valueToJson(value: unknown) {
  if (typeof value === 'bigint') return String(value);
  if (value instanceof ArrayBuffer) return Buffer.from(value).toString('base64');
  return value;
}

// Rows: drizzle reads a typed select by index (Array.prototype.slice.call
// on the row) and a raw db.all() by column name (Object.keys). Each row owns
// one enumerable property per distinct column name (the first column of a
// name wins, as in @libsql/client) and keeps every value, duplicates
// included, in an array behind VALUES, which index getters on a prototype
// shared by the statement's rows read. The constructor is generated once
// per statement, so every row of it shares one hidden class: building a row
// is one allocation and a few stores.
function rowConstructor(columns: string[]): RowConstructor {
  const proto = Object.create(Object.prototype) as Record<PropertyKey, unknown>;
  for (let i = 0; i < columns.length; i++) {
    Object.defineProperty(proto, i, { get(this: { [VALUES]: Value[] }) { return this[VALUES][i]; } });
  }
  Object.defineProperty(proto, 'length', { value: columns.length });
  // A column named like an index, "length" or "__proto__" cannot be a plain
  // own property beside the index getters; such rows are built the slow way.
  if (columns.some((name) => /^(0|[1-9]\d*)$/.test(name) || name === 'length' || name === '__proto__')) {
    return slowRowConstructor(columns);
  }
  const seen = new Set<string>();
  const assignments = columns
    .map((name, i) => {
      if (seen.has(name)) return '';
      seen.add(name);
      return `this[${JSON.stringify(name)}] = values[${i}];`;
    })
    .join('\n');
  const make = new Function('VALUES', `return function Row(values) {\n${assignments}\nthis[VALUES] = values;\n}`);
  const Row = make(VALUES) as RowConstructor & { prototype: object };
  Row.prototype = proto;
  return Row;
}

// @libsql/client's own row shape, for the rare statement whose column
// names collide with array indices.
function slowRowConstructor(columns: string[]): RowConstructor {
  return function Row(values: Value[]) {
    const row = {};
    Object.defineProperty(row, 'length', { value: values.length });
    for (let i = 0; i < values.length; i++) {
      Object.defineProperty(row, i, { value: values[i] });
      const name = columns[i]!;
      if (!Object.hasOwn(row, name)) Object.defineProperty(row, name, { value: values[i], enumerable: true, configurable: true, writable: true });
    }
    return row;
  } as unknown as RowConstructor;
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;

// Integers arrive as bigint (safeIntegers), so one that a number cannot hold
// fails loudly instead of coming back rounded; blobs arrive as Buffers.
function fromSqlValues(values: Value[]): Value[] {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === 'bigint') {
      if (value < MIN_SAFE || value > MAX_SAFE) {
        throw new RangeError('Received integer which cannot be safely represented as a JavaScript number');
      }
      values[i] = Number(value);
    } else if (value instanceof Buffer) {
      values[i] = value.buffer.byteLength === value.byteLength ? value.buffer : new Uint8Array(value).buffer;
    }
  }
  return values;
}

function toSqlArgs(args: InArgs | undefined): unknown[] | Record<string, unknown> {
  if (args === undefined) return [];
  if (Array.isArray(args)) return args.map(toSqlValue);
  const named: Record<string, unknown> = {};
  for (const name in args) {
    const bare = name[0] === '@' || name[0] === '$' || name[0] === ':' ? name.slice(1) : name;
    named[bare] = toSqlValue(args[name]!);
  }
  return named;
}

function toSqlValue(value: InValue): unknown {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('Only finite numbers (not Infinity or NaN) can be passed as arguments');
    return value;
  }
  if (typeof value === 'bigint') {
    if (value < MIN_INT64 || value > MAX_INT64) {
      throw new RangeError('bigint is too large to be represented as a 64-bit integer and passed as argument');
    }
    return value;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError('undefined cannot be passed as argument to the database');
  return value;
}

// SQLITE_BUSY and its extended codes (SQLITE_BUSY_SNAPSHOT, ...).
const isBusy = (error: unknown) => error instanceof LibsqlError && error.code.startsWith('SQLITE_BUSY');

function toLibsqlError(error: unknown): unknown {
  if (error instanceof Database.SqliteError) return new LibsqlError(error.message, error.code, error.rawCode, error);
  return error;
}

// file:relative.db, file:/absolute.db or file:///absolute.db, as
// @libsql/client reads them.
function filePath(url: string): string {
  if (!url.startsWith('file:')) {
    throw new LibsqlError(`The native client opens file: URLs only, not ${JSON.stringify(url.split(':')[0] + ':')}`, 'URL_SCHEME_NOT_SUPPORTED');
  }
  let path = url.slice('file:'.length);
  if (path.includes('?')) throw new LibsqlError('The native client takes no URL parameters', 'URL_INVALID');
  if (path.startsWith('//')) {
    const slash = path.indexOf('/', 2);
    const host = path.slice(2, slash === -1 ? undefined : slash);
    if (host !== '' && host !== 'localhost') throw new LibsqlError(`Invalid host in file URL: ${JSON.stringify(host)}`, 'URL_INVALID');
    path = slash === -1 ? '' : path.slice(slash);
  }
  path = decodeURIComponent(path);
  if (path === '' || path === ':memory:') {
    // A transaction opens a connection of its own, which would be a
    // different, empty in-memory database.
    throw new LibsqlError('The native client needs a database file', 'URL_INVALID');
  }
  return path;
}
