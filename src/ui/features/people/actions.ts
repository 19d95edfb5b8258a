/**
 * What a user does on the people screen, one function each. Each owns its save key (failed writes of the same
 * thing are retried as one) and passes who is acting, so the write path can refuse what is not theirs to change.
 */
import { addPerson, archivePerson, restorePerson, updatePerson, type PersonInput } from '../../../data/people';
import { addTeam, archiveTeam, renameTeam, restoreTeam } from '../../../data/teams';
import { setCurrentPerson } from '../../../data/device';
import { saveStatus } from '../../shared/save-status.svelte';
import type { Actor } from '../../../core/model/lifecycle';
import type { Uuid } from '../../../core/model/records';

export const addColleague = (input: PersonInput, actor: Actor) => saveStatus.run('person:new', () => addPerson(input, actor));
export const editColleague = (id: Uuid, input: PersonInput, actor: Actor) => saveStatus.run(`person:${id}`, () => updatePerson(id, input, actor));
export const archiveColleague = (id: Uuid, actor: Actor) => saveStatus.run(`person:${id}`, () => archivePerson(id, actor));
export const restoreColleague = (id: Uuid, actor: Actor) => saveStatus.run(`person:${id}`, () => restorePerson(id, actor));

export const createTeam = (name: string, actor: Actor) => saveStatus.run('team:new', () => addTeam(name, actor));
export const renameTeamTo = (id: Uuid, name: string, actor: Actor) => saveStatus.run(`team:${id}`, () => renameTeam(id, name, actor));
export const archiveTeamNow = (id: Uuid, actor: Actor) => saveStatus.run(`team:${id}`, () => archiveTeam(id, actor));
export const restoreTeamNow = (id: Uuid, actor: Actor) => saveStatus.run(`team:${id}`, () => restoreTeam(id, actor));

/** "This is me": the person whose observations and drafts this tablet shows. */
export const chooseWhoUsesDevice = (id: Uuid) => saveStatus.run('device', () => setCurrentPerson(id));
