import type { Fiche } from '../core/fiche.js';
import { listFiches } from '../fiches/registry.js';
import type { SqliteDb } from '../storage/sqlite.js';
import { actionItemsAsFiches } from './store.js';

/**
 * Everything whose échéances the milestone store follows: the registry's
 * fiches and the action items of the minutes. Every full milestone sync
 * passes this list, so an action item is not cancelled as "fiche supprimée".
 */
export function trackedFiches(db: SqliteDb, now: string): Fiche[] {
  return [...listFiches(db), ...actionItemsAsFiches(db, now)];
}
