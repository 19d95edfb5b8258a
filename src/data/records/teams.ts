/** Teams of the school. Written by an administrator (src/core/model/lifecycle.ts). */
import { alive, baseRecord, db } from '../database/db';
import { ownerOf } from './people';
import { now, save } from '../writes/local';
import type { Actor } from '../../core/model/lifecycle';
import type { Team, Uuid } from '../../core/model/records';

/** Teams in name order; archived ones only when asked for. */
export async function listTeams(options: { includeArchived?: boolean } = {}): Promise<Team[]> {
  const teams = await db().teams.orderBy('name').toArray();
  return teams.filter((team) => alive(team) && (options.includeArchived || team.archivedAt === undefined));
}

export function addTeam(name: string, actor: Actor): Promise<Team> {
  return save('team', undefined, { ...baseRecord(ownerOf(actor), now()), name: name.trim() }, actor);
}

async function change(id: Uuid, actor: Actor, next: (team: Team) => Team): Promise<void> {
  const before = await db().teams.get(id);
  if (alive(before)) await save('team', before, next(before), actor);
}

export function renameTeam(id: Uuid, name: string, actor: Actor): Promise<void> {
  return change(id, actor, (team) => ({ ...team, name: name.trim() }));
}

/** Archived teams keep their history (observations of their members) but are no longer offered for new people. */
export function archiveTeam(id: Uuid, actor: Actor): Promise<void> {
  return change(id, actor, (team) => ({ ...team, archivedAt: now() }));
}

export function restoreTeam(id: Uuid, actor: Actor): Promise<void> {
  return change(id, actor, ({ archivedAt: _archived, ...team }) => team);
}
