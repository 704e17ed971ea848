import { eq } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { exchangeRates, workspaces } from '../../../db/schema';
import { isoTime } from '../../domain/time';
import { notFound } from '../errors';
import { auditEntry } from '../records';
import type { Scope } from '../scope';

export type AnalyticsSettingsInput = {
  reportingCurrency?: string;
  windowDays?: number;
  exchangeRates?: { currency: string; rate: number }[];
};

// The workspace's reporting currency, RFM window and exchange rates. The
// workspaces row is the tenant itself, reached by the scope's own id.
export async function getAnalyticsSettings(scope: Scope) {
  const [settings, rates] = await scope.db.batch([
    scope.db
      .select({ reportingCurrency: workspaces.reportingCurrency, windowDays: workspaces.rfmWindowDays })
      .from(workspaces)
      .where(eq(workspaces.id, scope.ws.workspaceId)),
    scope.db.select().from(exchangeRates).where(scope.ws.scope(exchangeRates)).orderBy(exchangeRates.currency),
  ]);
  if (!settings[0]) throw notFound('Workspace');
  return {
    ...settings[0],
    exchangeRates: rates.map((r) => ({ currency: r.currency, rate: r.rate, updatedAt: isoTime(r.updatedAt)! })),
  };
}

// One batch: the settings, the whole set of rates (a currency left out is
// removed) and the audit row. The next run uses them; scores already
// written keep the figures they were computed with until then.
export async function updateAnalyticsSettings(scope: Scope, input: AnalyticsSettingsInput) {
  const statements: BatchItem<'sqlite'>[] = [];
  const set = {
    ...(input.reportingCurrency ? { reportingCurrency: input.reportingCurrency } : {}),
    ...(input.windowDays ? { rfmWindowDays: input.windowDays } : {}),
  };
  if (Object.keys(set).length) statements.push(scope.db.update(workspaces).set(set).where(eq(workspaces.id, scope.ws.workspaceId)));
  if (input.exchangeRates) {
    statements.push(scope.db.delete(exchangeRates).where(scope.ws.scope(exchangeRates)));
    if (input.exchangeRates.length) {
      statements.push(scope.db.insert(exchangeRates).values(input.exchangeRates.map((r) => ({ ...r, workspaceId: scope.ws.workspaceId, updatedAt: scope.now }))));
    }
  }
  statements.push(auditEntry(scope, 'update', 'workspace', scope.ws.workspaceId, { analytics: input }));
  await scope.db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  return getAnalyticsSettings(scope);
}
