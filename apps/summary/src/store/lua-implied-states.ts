/**
 * The usual state of each filter dimension, which has no tag set (see LUA_INDEX_HELPERS): an app
 * is in it when it is in none of the dimension's other sets. Shared by the write and list scripts.
 */
export const IMPLIED_STATES = { health: 'Healthy', sync: 'Synced', build: 'Succeeded', deploy: 'Succeeded' };

export const IMPLIED_STATES_LUA = `local IMPLIED = {${Object.entries(IMPLIED_STATES)
  .map(([dim, value]) => `${dim} = '${value}'`)
  .join(', ')}}`;
