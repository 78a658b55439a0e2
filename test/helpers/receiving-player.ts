import type { MemoryStore } from '../../store/memory-store.js';
import type { Json, Msg } from '../../world/core/types.js';

/** A player who is handed items by id: the smallest turn that changes state. */
export const ANN = 'player/ann';
export const receive = (id: string, item: string): Msg => ({ id, type: 'receive', item, text: null });
export const inventoryOf = async (store: MemoryStore): Promise<Json> => ((await store.get(ANN))?.value as { state: { inventory: Json } }).state.inventory;
