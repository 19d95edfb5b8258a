/**
 * What the generator needs per item of an instrument, worked out once per instrument: the response type, the
 * category of texts to draw from, for ratings the levels and the partial-credit step thresholds, and for an item in
 * a repeated section the repetition group it is answered in.
 */
import { allItems, repeatKey } from '../instrument/localize';
import type { Instrument, Item, Rule, Scale } from '../instrument/types';
import { instrumentKey } from '../model/records';
import { cycleBounds } from '../observation/cycles';
import { ruleTriggers } from '../observation/rules';
import { evenlySpacedSteps } from '../statistics/partial-credit';
import { categoryOf, type Category } from './content';

export interface PlanItem {
  item: Item;
  itemId: string;
  domainIndex: number;
  category: Category;
  type: Item['response']['type'];
  difficulty: number;
  /** Rating: the level values (low to high), the step thresholds (absolute logits) and the reverse flag. */
  levels?: number[];
  steps?: number[];
  notObserved: boolean;
  reverse: boolean;
  lookForIds: string[];
  evidence: boolean;
  /** In a repeated section: its repetition group (`repeatKey`), whose every repetition answers the item. */
  repeat?: string;
}

/** A repetition group of the instrument (sections repeated together count once): its bounds and intended length. */
interface CycleGroup {
  key: string;
  min: number;
  max: number;
  /** Intended length of one repetition in minutes, when the instrument gives it. */
  minutes: number | undefined;
}

export interface Plan {
  instrument: Instrument;
  key: string;
  items: PlanItem[];
  rules: Rule[];
  /** Item ids a rule looks at. */
  triggers: Set<string>;
  domainIds: string[];
  /** For each domain, the index of its first item in `items`. */
  domainStart: number[];
  contextIds: Set<string>;
  itemIds: Set<string>;
  /** Every item by id, as the rules of the instrument are evaluated. */
  itemsById: Map<string, Item>;
  /** The repetition groups of its repeated sections, in reading order (none for most instruments). */
  cycleGroups: CycleGroup[];
}

export function planFor(instrument: Instrument): Plan {
  const scales = new Map<string, Scale>(instrument.scales.map((s) => [s.id, s]));
  const items: PlanItem[] = [];
  const domainStart: number[] = [];
  const cycleGroups: CycleGroup[] = [];
  instrument.domains.forEach((domain, domainIndex) => {
    domainStart.push(items.length);
    const repeat = domain.repeat ? repeatKey(domain) : undefined;
    if (domain.repeat && !cycleGroups.some((g) => g.key === repeat))
      cycleGroups.push({ key: repeat!, ...cycleBounds(domain), minutes: domain.repeat.minutes });
    const domainItems = allItems({ ...instrument, domains: [domain] });
    for (const item of domainItems) {
      const difficulty = item.difficulty ?? 0;
      const category = categoryOf(domain.id, item.id);
      const plan: PlanItem = {
        item,
        itemId: item.id,
        domainIndex,
        category,
        type: item.response.type,
        difficulty,
        notObserved: false,
        reverse: item.reverse === true,
        lookForIds: (item.lookFors ?? []).map((l) => l.id),
        evidence: item.evidence ?? item.response.type !== 'text',
      };
      if (repeat !== undefined) plan.repeat = repeat;
      if (item.response.type === 'rating') {
        const scale = scales.get(item.response.scale);
        if (!scale || scale.levels.length === 0) continue; // an unknown scale: leave the item unanswered
        plan.levels = scale.levels.map((l) => l.value);
        plan.steps = evenlySpacedSteps(difficulty, scale.levels.length);
        plan.notObserved = scale.notObserved !== undefined;
      }
      items.push(plan);
    }
  });
  return {
    instrument,
    key: instrumentKey(instrument),
    items,
    rules: instrument.rules,
    triggers: new Set(instrument.rules.flatMap(ruleTriggers)),
    domainIds: instrument.domains.map((d) => d.id),
    domainStart,
    contextIds: new Set(instrument.context.map((c) => c.id)),
    itemIds: new Set(items.map((i) => i.itemId)),
    itemsById: new Map(allItems(instrument).map((item) => [item.id, item])),
    cycleGroups,
  };
}
