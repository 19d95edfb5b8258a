import { alive, baseRecord, db } from './db';
import type { Team, Uuid } from '../core/model/records';

/** Teams in name order; archived ones only when asked for. */
export async function listTeams(options: { includeArchived?: boolean } = {}): Promise<Team[]> {
  const teams = await db().teams.orderBy('name').toArray();
  return teams.filter((team) => alive(team) && (options.includeArchived || team.archivedAt === undefined));
}

export async function addTeam(name: string, owner: Uuid | null): Promise<Team> {
  const team: Team = { ...baseRecord(owner), name: name.trim() };
  await db().teams.add(team);
  return team;
}

export async function renameTeam(id: Uuid, name: string): Promise<void> {
  await db().teams.update(id, { name: name.trim(), updatedAt: Date.now() });
}

/** Archived teams keep their history (observations of their members) but are no longer offered for new people. */
export async function archiveTeam(id: Uuid): Promise<void> {
  const now = Date.now();
  await db().teams.update(id, { archivedAt: now, updatedAt: now });
}

export async function restoreTeam(id: Uuid): Promise<void> {
  await db().teams.where('id').equals(id).modify((team) => {
    delete team.archivedAt;
    team.updatedAt = Date.now();
  });
}
