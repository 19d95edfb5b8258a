/**
 * Whether the data hang together. The teachers and items of the item estimation form a bipartite graph, a teacher
 * linked to every item they were rated on. Within a connected block the ratings put items and teachers on one scale;
 * between two blocks nothing in the data says how far apart they lie (shifting one block's teachers and items
 * together fits the ratings just as well), so a joint scale is not identified. Found by union-find over the
 * teacher × item pairs with ratings.
 */
import type { Pairs } from './response-matrix';

export interface Blocks {
  /** How many connected blocks the teachers and items taking part fall into (0 when none take part). */
  count: number;
  /** Per item, its block (0 … count − 1, numbered in item order), or −1 when it does not take part. */
  itemBlock: Int32Array;
  /** Per teacher, their block, or −1 when they do not take part. */
  personBlock: Int32Array;
  /** Per block, its number of ratings. */
  ratings: Float64Array;
}

/** The connected blocks of the pairs (`collectPairs` over the teachers and items taking part). */
export function connectedBlocks(pairs: Pairs, persons: number, items: number): Blocks {
  // Nodes 0 … items − 1 are the items, items … items + persons − 1 the teachers.
  const parent = Int32Array.from({ length: items + persons }, (_, node) => node);
  const root = (node: number): number => {
    while (parent[node] !== node) {
      parent[node] = parent[parent[node]!]!; // path halving
      node = parent[node]!;
    }
    return node;
  };
  const linked = new Uint8Array(items + persons);
  for (let p = 0; p < persons; p++) {
    for (let e = pairs.start[p]!; e < pairs.start[p + 1]!; e++) {
      const i = pairs.item[e]!;
      linked[i] = 1;
      linked[items + p] = 1;
      const [a, b] = [root(i), root(items + p)];
      // The smaller node becomes the root, so a block's root is its first item.
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  }
  const blockOfRoot = new Map<number, number>();
  const blockOf = (node: number): number => {
    if (!linked[node]) return -1;
    const r = root(node);
    let block = blockOfRoot.get(r);
    if (block === undefined) blockOfRoot.set(r, (block = blockOfRoot.size));
    return block;
  };
  const itemBlock = Int32Array.from({ length: items }, (_, i) => blockOf(i));
  const personBlock = Int32Array.from({ length: persons }, (_, p) => blockOf(items + p));
  const ratings = new Float64Array(blockOfRoot.size);
  for (let p = 0; p < persons; p++) {
    for (let e = pairs.start[p]!; e < pairs.start[p + 1]!; e++) {
      const block = itemBlock[pairs.item[e]!]!;
      ratings[block] = ratings[block]! + pairs.count[e]!;
    }
  }
  return { count: blockOfRoot.size, itemBlock, personBlock, ratings };
}
